/**
 * "Run on": this machine (the engine's own worker processes) or a queue URL, where
 * `layerloom worker --queue URL` processes on other machines take the trials. A small piece of
 * the launcher form; the URL may carry a password (`redis://:PASSWORD@HOST:PORT`), so it is a
 * password-style field that is never echoed into messages.
 */
import type { SearchForm } from './settings.js';

/** The run-on choice and, for a queue, its URL. */
export function RunOnField({ form, setForm, invalid }: { form: SearchForm; setForm: (f: SearchForm) => void; invalid: boolean }) {
  return (
    <fieldset
      className="search-field search-run-on"
      title="Where trials run: this machine, or layerloom worker processes on other machines behind a Redis queue"
    >
      <legend>Run on</legend>
      <label>
        <input
          type="radio"
          name="search-run-on"
          checked={form.runOn === 'local'}
          onChange={() => setForm({ ...form, runOn: 'local' })}
          data-testid="search-run-on-local"
        />
        this machine
      </label>
      <label>
        <input
          type="radio"
          name="search-run-on"
          checked={form.runOn === 'queue'}
          onChange={() => setForm({ ...form, runOn: 'queue' })}
          data-testid="search-run-on-queue"
        />
        queue URL
      </label>
      {form.runOn === 'queue' && (
        <input
          type="password"
          autoComplete="off"
          value={form.queueUrl}
          placeholder="redis://HOST:6379"
          onChange={(e) => setForm({ ...form, queueUrl: e.target.value })}
          aria-invalid={invalid}
          data-testid="search-queueUrl"
        />
      )}
    </fieldset>
  );
}
