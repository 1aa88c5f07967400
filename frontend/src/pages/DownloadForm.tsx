// The download request: validates the selection and the contact field before anything
// is sent, shows the server's refusal if there is one, and opens the job page on success.

import { useState, type FormEvent } from 'react';
import type { Match, Tier } from '../api/types';
import { ErrorNote } from '../components/ErrorNote';
import { useApp } from '../context';
import { rememberJob } from '../jobs/poll';
import type { Selection } from '../labels/selection';
import { navigate } from '../router';
import { parseContact } from '../validate';

interface Props {
  selection: Selection;
  expected: number | null;
  onMatch: (m: Match) => void;
  onClear: () => void;
}

const TIERS: { value: Tier; label: string }[] = [
  { value: 'Standard', label: 'Standard — within hours' },
  { value: 'Expedited', label: 'Expedited — within minutes, costs most' },
  { value: 'Bulk', label: 'Bulk — cheapest, may take up to a day or two' },
];

export function DownloadForm({ selection, expected, onMatch, onClear }: Props) {
  const { api } = useApp();
  const [contact, setContact] = useState('');
  const [tier, setTier] = useState<Tier>('Standard');
  const [contactError, setContactError] = useState<string | null>(null);
  const [labelsError, setLabelsError] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const n = selection.selected.length;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const c = parseContact(contact);
    setContactError(c.ok ? null : c.error);
    setLabelsError(n === 0 ? 'Select at least one label.' : null);
    if (!c.ok || n === 0) return;
    setBusy(true);
    try {
      const { job_id } = await api.startDownload({
        labels: selection.selected,
        match: selection.match,
        notify: c.value,
        tier,
      });
      rememberJob(job_id);
      navigate({ page: 'job', id: job_id });
    } catch (err) {
      setError(err as Error);
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="download-title">
      <h2 id="download-title">Download</h2>
      <p role="status" className={labelsError ? 'error' : 'muted'} id="selection-summary">
        {labelsError ??
          (n === 0
            ? 'No labels selected yet.'
            : `${n} label${n === 1 ? '' : 's'} selected: ${selection.selected.join(', ')}` +
              (expected !== null ? ` (${expected} photo${expected === 1 ? '' : 's'})` : ''))}
      </p>
      {n > 0 ? (
        <p className="inline-actions">
          <button type="button" className="link-button" onClick={onClear}>
            Clear selection
          </button>
        </p>
      ) : null}
      <fieldset className="radios">
        <legend>Photos must carry</legend>
        <label>
          <input
            type="radio"
            name="match"
            value="any"
            checked={selection.match === 'any'}
            onChange={() => onMatch('any')}
          />{' '}
          any selected label
        </label>
        <label>
          <input
            type="radio"
            name="match"
            value="all"
            checked={selection.match === 'all'}
            onChange={() => onMatch('all')}
          />{' '}
          all selected labels
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor="contact">Email or phone</label>
        <input
          id="contact"
          name="contact"
          autoComplete="email"
          value={contact}
          aria-invalid={contactError ? true : undefined}
          aria-describedby={contactError ? 'contact-error' : 'contact-hint'}
          onChange={(e) => {
            setContact(e.target.value);
            if (contactError) setContactError(null);
          }}
        />
        {contactError ? (
          <p id="contact-error" className="error" role="alert">
            {contactError}
          </p>
        ) : (
          <p id="contact-hint" className="hint">
            We send the download link here, e.g. name@example.com or +4915123456789.
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor="tier">Restore speed</label>
        <select id="tier" value={tier} onChange={(e) => setTier(e.target.value as Tier)}>
          {TIERS.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
        <p className="hint">Only photos in archival storage need restoring first.</p>
      </div>
      <ErrorNote error={error} prefix="The download could not start" />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Starting…' : 'Download'}
      </button>
    </form>
  );
}
