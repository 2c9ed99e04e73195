/** A generated avatar (served by /api/avatars), square for organizations as on the Hub. */
export function Avatar({
  src,
  name,
  size = 32,
  org = false,
}: {
  src: string;
  name: string;
  size?: number;
  org?: boolean;
}) {
  return (
    <img
      className={org ? 'avatar avatar-org' : 'avatar'}
      src={src}
      alt={`${name}'s avatar`}
      width={size}
      height={size}
      loading="lazy"
    />
  );
}
