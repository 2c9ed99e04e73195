import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';

/** A titled block of cards on a page, with an optional "see all" link. */
export function Section({
  title,
  icon,
  more,
  children,
}: {
  title: string;
  icon: string;
  more?: string;
  children: ReactNode;
}) {
  return (
    <section className="section">
      <header className="section-header">
        <h2>
          <span aria-hidden="true">{icon}</span> {title}
        </h2>
        {more && <Link to={more}>See all →</Link>}
      </header>
      {children}
    </section>
  );
}
