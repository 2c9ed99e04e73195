import type { ReactNode } from 'react';
import { Avatar } from './Avatar';

/** Avatar, full name and handle at the top of a user or organization page. */
export function ProfileHeader(props: {
  name: string;
  fullname: string;
  avatarUrl: string;
  org?: boolean;
  children?: ReactNode;
}) {
  return (
    <header className="profile-header">
      <Avatar src={props.avatarUrl} name={props.name} size={72} org={props.org} />
      <div>
        <h1>{props.fullname || props.name}</h1>
        <p className="muted">
          {props.org ? 'Organization' : 'User'} · @{props.name}
        </p>
        {props.children}
      </div>
    </header>
  );
}
