import type { Generated } from 'kysely';

/**
 * Every table, as Kysely sees it. Both engines store the same shapes: flags are integers 0/1 and
 * times ISO strings, so a row maps to a record the same way whichever engine answered.
 */
export interface Tables {
  schema_migrations: { id: string; applied_at: string };
  meta: { key: string; value: string };
  accounts: {
    id: string;
    kind: 'user' | 'org';
    name: string;
    fullname: string;
    email: string | null;
    password_hash: string | null;
    is_admin: number;
    created_at: string;
  };
  /** At most one row (slot = 1): the user who became the instance's administrator by signing up first. */
  first_admin: { slot: number; user_id: string };
  org_members: { org_id: string; user_id: string; role: 'admin' | 'write' | 'read' };
  sessions: { id_hash: string; user_id: string; created_at: string; expires_at: number };
  api_tokens: {
    id: string;
    user_id: string;
    display_name: string;
    role: 'read' | 'write';
    hash: string;
    created_at: string;
    last_used_at: string | null;
    revoked_at: string | null;
  };
  hub_repos: {
    id: string;
    type: 'model' | 'space' | 'notebook';
    owner_id: string;
    name: string;
    private: number;
    sdk: string | null;
    created_at: string;
    last_modified: string;
    likes: Generated<number>;
    downloads: Generated<number>;
    forked_from_repo: string | null;
    forked_from_commit: string | null;
  };
  hub_refs: { repo_id: string; name: string; commit_oid: string };
  hub_commits: {
    oid: string;
    parent_oid: string | null;
    author_id: string | null;
    author_name: string;
    title: string;
    message: string;
    created_at: string;
  };
  hub_entries: {
    commit_oid: string;
    path: string;
    sha256: string;
    size: number;
    git_oid: string;
    lfs: number;
  };
  hub_commit_blobs: { commit_oid: string; sha256: string; size: number };
  hub_collaborators: { repo_id: string; user_id: string; role: 'admin' | 'write' | 'read' };
  hub_likes: { repo_id: string; user_id: string; created_at: string };
  collab_snapshots: { doc: string; state: Uint8Array; seq: number; updated_at: string };
  collab_updates: { seq: Generated<number>; doc: string; data: Uint8Array };
  space_settings: { repo_id: string; sleep_seconds: number | null; paused: Generated<number> };
  space_env: {
    repo_id: string;
    kind: 'variable' | 'secret';
    key: string;
    value: string;
    description: string | null;
    updated_at: string;
    sealed: Generated<number>;
  };
}
