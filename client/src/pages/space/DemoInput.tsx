import type { DemoComponentConfig, ImageValue } from '@atrium/protocol';

/** The value an input starts with: its declared default, or the empty value of its kind. */
export function initialValue(c: DemoComponentConfig): unknown {
  switch (c.type) {
    case 'textbox':
      return c.value ?? '';
    case 'number':
      return c.value ?? 0;
    case 'slider':
      return c.value ?? c.minimum;
    case 'checkbox':
      return c.value ?? false;
    case 'dropdown':
      return c.value ?? (c.multiselect ? [] : (c.choices[0] ?? ''));
    case 'chatbot':
      return c.value ?? [];
    case 'json':
    case 'markdown':
      return c.value ?? null;
    default:
      return null;
  }
}

function readImage(file: File): Promise<ImageValue> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      resolve({ url: String(reader.result), mimeType: file.type, size: file.size, origName: file.name });
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** One input component of the demo SDK, drawn as a form control. */
export function DemoInput({
  c,
  value,
  onChange,
  disabled,
}: {
  c: DemoComponentConfig;
  value: unknown;
  onChange: (v: unknown) => void;
  disabled?: boolean;
}) {
  const label = c.label ?? c.name;
  const id = `demo-in-${c.name}`;
  const control = (() => {
    switch (c.type) {
      case 'textbox':
        return (c.lines ?? 1) > 1 ? (
          <textarea
            id={id}
            name={c.name}
            rows={c.lines}
            placeholder={c.placeholder}
            value={String(value ?? '')}
            onChange={(e) => onChange(e.target.value)}
            disabled={disabled}
          />
        ) : (
          <input
            id={id}
            name={c.name}
            placeholder={c.placeholder}
            value={String(value ?? '')}
            onChange={(e) => onChange(e.target.value)}
            disabled={disabled}
          />
        );
      case 'number':
        return (
          <input
            id={id}
            name={c.name}
            type="number"
            min={c.minimum}
            max={c.maximum}
            value={Number(value ?? 0)}
            onChange={(e) => onChange(e.target.valueAsNumber)}
            disabled={disabled}
          />
        );
      case 'slider':
        return (
          <span className="demo-slider">
            <input
              id={id}
              name={c.name}
              type="range"
              min={c.minimum}
              max={c.maximum}
              step={c.step}
              value={Number(value ?? c.minimum)}
              onChange={(e) => onChange(e.target.valueAsNumber)}
              disabled={disabled}
            />
            <output>{String(value)}</output>
          </span>
        );
      case 'checkbox':
        return (
          <input
            id={id}
            name={c.name}
            type="checkbox"
            checked={Boolean(value)}
            onChange={(e) => onChange(e.target.checked)}
            disabled={disabled}
          />
        );
      case 'dropdown':
        return (
          <select
            id={id}
            name={c.name}
            multiple={c.multiselect}
            value={value as string | string[]}
            onChange={(e) =>
              onChange(c.multiselect ? [...e.target.selectedOptions].map((o) => o.value) : e.target.value)
            }
            disabled={disabled}
          >
            {c.choices.map((choice) => (
              <option key={choice} value={choice}>
                {choice}
              </option>
            ))}
          </select>
        );
      case 'image': {
        const image = value as ImageValue | null;
        return (
          <span className="demo-image-input">
            <input
              id={id}
              name={c.name}
              type="file"
              accept="image/*"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void readImage(file).then(onChange);
              }}
              disabled={disabled}
            />
            {image?.url && <img src={image.url} alt={image.origName ?? 'uploaded'} />}
          </span>
        );
      }
      case 'json':
        return (
          <textarea
            id={id}
            name={c.name}
            rows={4}
            defaultValue={value === null ? '' : JSON.stringify(value, null, 2)}
            onChange={(e) => {
              try {
                onChange(JSON.parse(e.target.value));
              } catch {
                // Keep the last value that parsed while the person is still typing.
              }
            }}
            disabled={disabled}
          />
        );
      default:
        return (
          <input
            id={id}
            name={c.name}
            value={String(value ?? '')}
            onChange={(e) => onChange(e.target.value)}
          />
        );
    }
  })();
  return (
    <div className={`demo-field demo-kind-${c.type}`}>
      <label htmlFor={id}>{label}</label>
      {control}
      {c.info && <small className="muted">{c.info}</small>}
    </div>
  );
}
