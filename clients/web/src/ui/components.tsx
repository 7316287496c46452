import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { CombinedError } from '@urql/core';
import { describeError } from '../api/errors';

export function Card({ title, actions, children, labelledBy }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; labelledBy?: string }) {
  return (
    <section className="card" aria-labelledby={labelledBy}>
      {(title || actions) && (
        <div className="card__title">
          {title && <h2 id={labelledBy}>{title}</h2>}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      {children && <div className="toolbar">{children}</div>}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('app.loading')}
    </div>
  );
}

export function Notice({ kind, children }: { kind: 'error' | 'warning' | 'info' | 'success'; children: ReactNode }) {
  return (
    <div className={`notice notice--${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** A failed request in words the user can act on; with a retry when one makes sense. */
export function ErrorNotice({ error, onRetry }: { error: CombinedError; onRetry?: () => void }) {
  const { t } = useTranslation();
  const shown = describeError(error, t);
  return (
    <Notice kind={shown.every((e) => e.code === 'SCHOOL_UNAVAILABLE') ? 'warning' : 'error'}>
      {shown.map((e, i) => (
        <p key={i}>{e.message}</p>
      ))}
      {onRetry && (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </Notice>
  );
}

export function Badge({ kind, children }: { kind?: 'success' | 'warning' | 'danger'; children: ReactNode }) {
  return <span className={`badge${kind ? ` badge--${kind}` : ''}`}>{children}</span>;
}

/** A mark as a chip: its value and, when it is not 1, its weight as a subscript. */
export function MarkChip({ value, weight, title }: { value: string; weight?: number; title?: string }) {
  const shown = value === 'PASS' ? 'зач' : value === 'FAIL' ? 'незач' : value;
  return (
    <span className={`mark mark--${value}`} title={title}>
      {shown}
      {weight !== undefined && weight !== 1 && <sub>×{weight.toLocaleString('ru-RU')}</sub>}
    </span>
  );
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog the WAI-ARIA way: named by its title, focus moved into it
 * (to the element marked `data-autofocus`, else the first control) and kept
 * there with Tab, Escape closes it, and focus goes back to what opened it.
 */
export function Dialog({ title, onClose, children, describedBy }: { title: ReactNode; onClose: () => void; children: ReactNode; describedBy?: string }) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = panel.current;
    const first = root?.querySelector<HTMLElement>('[data-autofocus]') ?? root?.querySelector<HTMLElement>(FOCUSABLE) ?? root;
    first?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || !panel.current) return;
    const items = [...panel.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (items.length === 0) return e.preventDefault();
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return createPortal(
    <div className="dialog-backdrop">
      <div
        ref={panel}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={describedBy}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        {children}
      </div>
    </div>,
    document.body,
  );
}

/** The buttons at the foot of a dialog. */
export function DialogActions({ children }: { children: ReactNode }) {
  return <div className="dialog__actions">{children}</div>;
}

export interface TabItem<K extends string> {
  key: K;
  label: ReactNode;
}

/**
 * Tabs as WAI-ARIA describes them: arrows move between tabs, Home/End jump to
 * the ends; the panel is the caller's `<TabPanel>` with the same `idPrefix`.
 */
export function Tabs<K extends string>({
  tabs,
  selected,
  onSelect,
  label,
  idPrefix,
}: {
  tabs: readonly TabItem<K>[];
  selected: K;
  onSelect: (key: K) => void;
  label: string;
  idPrefix: string;
}) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    const to = e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : step ? (index + step + tabs.length) % tabs.length : -1;
    if (to < 0) return;
    e.preventDefault();
    onSelect(tabs[to]!.key);
    refs.current[to]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {tabs.map((tab, i) => (
        <button
          key={tab.key}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`${idPrefix}-tab-${tab.key}`}
          aria-selected={selected === tab.key}
          aria-controls={`${idPrefix}-panel-${tab.key}`}
          tabIndex={selected === tab.key ? 0 : -1}
          className="tab"
          onClick={() => onSelect(tab.key)}
          onKeyDown={(e) => onKeyDown(e, i)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

export function TabPanel({ idPrefix, selected, children }: { idPrefix: string; selected: string; children: ReactNode }) {
  return (
    <div role="tabpanel" id={`${idPrefix}-panel-${selected}`} aria-labelledby={`${idPrefix}-tab-${selected}`}>
      {children}
    </div>
  );
}
