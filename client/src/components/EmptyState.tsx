import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

/** What a section shows before there is anything in it: honest, no made-up items. */
export function EmptyState({
  icon,
  title,
  children,
}: {
  icon: IconName;
  title: string;
  children?: ReactNode;
}) {
  return (
    <div className="empty-state">
      <span className="empty-icon">
        <Icon name={icon} size={28} />
      </span>
      <strong>{title}</strong>
      {children && <p className="muted">{children}</p>}
    </div>
  );
}
