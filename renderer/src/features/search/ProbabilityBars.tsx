/** DARTS / ENAS per-choice probabilities as bars, one group per decision, updating live. */
import { heatColor } from '../canvas/heat.js';
import { probabilityBars } from './heat.js';
import type { DecisionInfo, Probabilities } from './types.js';

interface Props {
  choices: Probabilities;
  decisions: DecisionInfo[];
  step?: number;
  epoch?: number;
}

/** The bar list beside the canvas heat. */
export function ProbabilityBars({ choices, decisions, step, epoch }: Props) {
  const groups = probabilityBars(choices, decisions);
  return (
    <div className="probabilities" data-testid="probabilities">
      <p className="muted small">
        Per-choice probabilities{epoch !== undefined ? ` · epoch ${epoch}` : ''}
        {step !== undefined ? ` · step ${step}` : ''} — also drawn as heat on the canvas
      </p>
      {groups.map((g) => (
        <div key={g.decision} className="prob-group">
          <div className="prob-name">{g.decision}</div>
          {g.options.map((o) => (
            <div
              key={o.option}
              className={o.option === g.leading ? 'prob-row leading' : 'prob-row'}
              title={`${g.decision}=${o.option}: ${(o.p * 100).toFixed(1)}%`}
            >
              <span className="prob-option">{o.option}</span>
              <span className="prob-bar">
                <span style={{ width: `${o.p * 100}%`, background: heatColor(o.p) }} />
              </span>
              <span className="prob-value">{(o.p * 100).toFixed(0)}%</span>
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
