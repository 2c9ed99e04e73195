import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../api';

/**
 * A Vega-Lite chart from a spec (vega-embed, loaded on first use); actions menu off, no network loads.
 * Expressions are interpreted (vega-interpreter) rather than compiled with `new Function`, so charts
 * draw under the page's Content-Security-Policy, which allows no eval.
 */
export default function VegaChart({ spec }: { spec: object }) {
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let finalize: (() => void) | undefined;
    let live = true;
    void Promise.all([import('vega-embed'), import('vega-interpreter')])
      .then(([{ default: embed }, { expressionInterpreter }]) =>
        host.current
          ? embed(host.current, spec as never, {
              actions: false,
              renderer: 'svg',
              ast: true,
              expr: expressionInterpreter,
            })
          : null,
      )
      .then((result) => {
        if (!live) result?.finalize();
        else finalize = result?.finalize;
      })
      .catch((err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
      finalize?.();
    };
  }, [spec]);
  return error ? (
    <p className="nb-output-notice">Chart could not be drawn: {error}</p>
  ) : (
    <div className="nb-output-chart" ref={host} />
  );
}
