import { useState } from 'react';

/** Copies text to the clipboard and says so for a moment. */
export function CopyButton({
  text,
  label = 'Copy',
  className = 'button button-secondary',
}: {
  text: string;
  label?: string;
  className?: string;
}) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
    setTimeout(() => setCopied(null), 2000);
  };
  return (
    <button type="button" className={className} onClick={copy}>
      {copied === null ? label : copied ? 'Copied!' : 'Select and copy manually'}
    </button>
  );
}
