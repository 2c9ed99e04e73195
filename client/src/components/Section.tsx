import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Icon, type IconName } from './Icon';

/** A titled block of cards on a page, with an optional "see all" link. */
export function Section({
  title,
  icon,
  more,
  children,
}: {
  title: string;
  icon: IconName;
  more?: string;
  children: ReactNode;
}) {
  return (
    <section className="section">
      <header className="section-header">
        <h2>
          <Icon name={icon} /> {title}
        </h2>
        {more && <Link to={more}>See all →</Link>}
      </header>
      {children}
    </section>
  );
}
