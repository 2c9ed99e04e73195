import { SharePopover } from '../../components';

/** "Share": the Space's link and an iframe snippet of its embed page, copied with one click. */
export function ShareButton({ spaceId }: { spaceId: string }) {
  const origin = window.location.origin;
  return (
    <SharePopover
      link={`${origin}/spaces/${spaceId}`}
      embed={`<iframe src="${origin}/embed/spaces/${spaceId}" width="100%" height="600" frameborder="0"></iframe>`}
    />
  );
}
