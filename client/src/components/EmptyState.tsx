import type { ReactNode } from 'react';

/** What a section shows before there is anything in it: honest, no made-up items. */
export function EmptyState({ icon, title, children }: { icon: string; title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <span className="empty-icon" aria-hidden="true">
        {icon}
      </span>
      <strong>{title}</strong>
      {children && <p className="muted">{children}</p>}
    </div>
  );
}
