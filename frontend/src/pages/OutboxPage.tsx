// The local outbox: the messages PAM would have sent by email or SMS when no SMTP
// server is configured. Links inside message bodies are made clickable.

import type { OutboxMessage } from '../api/types';
import { ErrorNote, formatTime } from '../components/ErrorNote';
import { useApp } from '../context';
import { usePolling } from '../jobs/usePolling';

const URL_RE = /(https?:\/\/[^\s<>"']+)/g;

export function Linkified({ text }: { text: string }) {
  const parts = text.split(URL_RE);
  return (
    <>
      {parts.map((p, i) =>
        i % 2 === 1 ? (
          <a key={i} href={p}>
            {p}
          </a>
        ) : (
          p
        ),
      )}
    </>
  );
}

export function OutboxPage() {
  const { api } = useApp();
  const { value, error } = usePolling<OutboxMessage[]>(() => api.outbox(), 5000, undefined, [api]);
  const messages = [...(value ?? [])].sort((a, b) => b.created_at.localeCompare(a.created_at));
  return (
    <section>
      <h1>Outbox</h1>
      <p className="muted">
        Messages PAM would have sent. No mail server is configured, so they are kept here (without
        the address they were meant for).
      </p>
      <ErrorNote error={error} prefix="Could not load the outbox" />
      {value && messages.length === 0 ? <p role="status">The outbox is empty.</p> : null}
      <ul className="messages" aria-label="Messages">
        {messages.map((m) => (
          <li key={m.id} className="card">
            <article aria-label={m.subject ?? `${m.channel} message`}>
              <header className="message-head">
                <span className={`badge badge-${m.channel}`}>
                  {m.channel === 'sms' ? 'SMS' : 'Email'}
                </span>
                <h2>{m.subject ?? '(no subject)'}</h2>
                <time dateTime={m.created_at}>{formatTime(m.created_at)}</time>
              </header>
              <p className="message-body">
                <Linkified text={m.body} />
              </p>
            </article>
          </li>
        ))}
      </ul>
    </section>
  );
}
