import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import common from './ru.json';

/**
 * Every text of the interface lives in message files per language: the
 * shell's here, each section's beside it (features/<section>/ru.json, under
 * its own top-level key). Components ask for keys, never hold Russian strings;
 * another language is another set of files.
 */
const sections = import.meta.glob<{ default: Record<string, unknown> }>('../features/*/ru.json', { eager: true });
const ru = Object.assign({}, common, ...Object.values(sections).map((m) => m.default));

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  lng: 'ru',
  fallbackLng: 'ru',
  resources: { ru: { translation: ru } },
  interpolation: { escapeValue: false },
  returnNull: false,
});
