import type { RepoType } from '@atrium/protocol';
import { EmptyState, RepoList, Section } from '../components';

const KINDS: { type: RepoType; title: string; plural: string }[] = [
  { type: 'space', title: 'Spaces', plural: 'Spaces' },
  { type: 'model', title: 'Models', plural: 'models' },
  { type: 'notebook', title: 'Notebooks', plural: 'notebooks' },
];

/** What a user or an organization has published, newest first, one section per repository type. */
export function OwnerRepos({ owner }: { owner: string }) {
  return (
    <div>
      {KINDS.map(({ type, title, plural }) => (
        <Section key={type} title={title} icon={type}>
          <RepoList
            type={type}
            query={{ author: owner, sort: 'lastModified' }}
            empty={<EmptyState icon={type} title={`${owner} has no ${plural} yet`} />}
          />
        </Section>
      ))}
    </div>
  );
}
