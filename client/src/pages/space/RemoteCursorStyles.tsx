import type { SpaceEditor } from './useSpaceDoc';

const quote = (s: string) => JSON.stringify(s.replace(/[\n\r\\]/g, ' '));

/**
 * Colours and name tags for y-monaco's remote selections: y-monaco marks them with per-client
 * classes (`yRemoteSelection-<id>`, `yRemoteSelectionHead-<id>`); this styles each with its person.
 */
export function RemoteCursorStyles({ people }: { people: SpaceEditor[] }) {
  const css = people
    .map(({ clientId: id, user }) => {
      const color = /^#[0-9a-f]{3,8}$/i.test(user.color) ? user.color : '#4363d8';
      return `.yRemoteSelection-${id}{background:${color}33}
.yRemoteSelectionHead-${id}{position:absolute;border-left:2px solid ${color};height:100%;box-sizing:border-box}
.yRemoteSelectionHead-${id}::after{content:${quote(user.name)};position:absolute;top:-1.1em;left:-2px;font:600 10px/1.1 sans-serif;color:#fff;background:${color};padding:1px 3px;border-radius:3px 3px 3px 0;white-space:nowrap;pointer-events:none;z-index:10}`;
    })
    .join('\n');
  return <style>{css}</style>;
}
