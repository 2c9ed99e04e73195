import { useSession } from '../auth';

/** The namespaces the signed-in user may create repositories in: their own and orgs where they can write. */
export function useWritableOwners(): string[] {
  const { user } = useSession().session;
  if (!user) return [];
  return [user.name, ...user.orgs.filter((o) => o.roleInOrg !== 'read').map((o) => o.name)];
}

/** The "Owner" field of the create forms (repository, Space from a template). */
export function OwnerSelect({ value, onChange }: { value: string; onChange: (owner: string) => void }) {
  const owners = useWritableOwners();
  return (
    <label>
      Owner
      <select name="owner" value={value} onChange={(e) => onChange(e.target.value)}>
        {owners.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}
