import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { loadRuntimeConfig } from './config';
import './i18n';
import './ui/theme.css';

// The app shell works offline after the first visit (public/sw.js); not in development, where Vite serves sources.
if (import.meta.env.PROD && 'serviceWorker' in navigator) void navigator.serviceWorker.register('/sw.js').catch(() => undefined);

const root = createRoot(document.getElementById('root')!);
loadRuntimeConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    ),
  () => root.render(<p role="alert">Не удалось загрузить настройки приложения. Обновите страницу; если ошибка повторяется, сообщите администратору школы.</p>),
);
