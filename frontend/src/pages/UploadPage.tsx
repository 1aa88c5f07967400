// Upload many photos at once: drop them or pick them, see each file's progress and any
// error next to it, and the total above. Non-JPEG files are refused before sending.

import { useEffect, useReducer, useRef, useState, type DragEvent } from 'react';
import { ApiError } from '../api/client';
import { ProgressBar } from '../components/ProgressBar';
import { useApp } from '../context';
import { formatBytes, totals, uploadReducer } from '../upload/progress';
import { runPool, uploadFile, type UploadDeps } from '../upload/uploader';

/** How many files are sent at the same time. */
const FILE_CONCURRENCY = 3;

let nextId = 0;

export function UploadPage({ deps }: { deps?: UploadDeps }) {
  const { api } = useApp();
  const [files, dispatch] = useReducer(uploadReducer, []);
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const sum = totals(files);

  // Leaving the page would cut running uploads off: ask the browser to confirm.
  useEffect(() => {
    if (sum.active === 0) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [sum.active]);

  // The File objects, by entry id, so a failed upload can be sent again.
  const chosenFiles = useRef(new Map<string, File>());

  function send(batch: { id: string; file: File }[]) {
    void runPool(batch, FILE_CONCURRENCY, async ({ id, file }) => {
      dispatch({ type: 'start', id });
      try {
        const key = await uploadFile(
          api,
          file,
          (loaded) => dispatch({ type: 'progress', id, loaded }),
          deps,
        );
        dispatch({ type: 'done', id, key });
        chosenFiles.current.delete(id);
      } catch (e) {
        const err = e as Error;
        const msg =
          err instanceof ApiError && err.status > 0
            ? `${err.message} (HTTP ${err.status}, ${err.code})`
            : err.message;
        const retryable = !(err instanceof ApiError && err.code === 'not_jpeg');
        dispatch({ type: 'fail', id, error: msg, retryable });
        if (!retryable) chosenFiles.current.delete(id);
      }
    });
  }

  function start(list: FileList | File[]) {
    const chosen = Array.from(list).map((file) => ({ id: `f${++nextId}`, file }));
    if (chosen.length === 0) return;
    for (const c of chosen) chosenFiles.current.set(c.id, c.file);
    dispatch({
      type: 'add',
      files: chosen.map(({ id, file }) => ({ id, name: file.name, size: file.size })),
    });
    send(chosen);
    if (inputRef.current) inputRef.current.value = '';
  }

  function retry(id: string) {
    const file = chosenFiles.current.get(id);
    if (!file) return;
    dispatch({ type: 'retry', id });
    send([{ id, file }]);
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer?.files) start(e.dataTransfer.files);
  }

  const finished = files.length > 0 && sum.active === 0;
  return (
    <section>
      <h1>Upload photos</h1>
      <p className="muted">
        JPEG photos only. Each photo is labelled automatically after it arrives.
      </p>
      <div
        className={`dropzone${dragging ? ' dragging' : ''}`}
        role="region"
        aria-label="Drop zone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>Drag and drop photos here, or</p>
        <label htmlFor="photo-input" className="button primary">
          Choose photos
        </label>
        <input
          ref={inputRef}
          id="photo-input"
          className="visually-hidden"
          type="file"
          multiple
          accept="image/jpeg,.jpg,.jpeg"
          onChange={(e) => e.target.files && start(e.target.files)}
        />
      </div>

      {files.length > 0 ? (
        <div className="card">
          <div className="total">
            <ProgressBar
              label="Total upload progress"
              value={sum.loaded}
              max={sum.total}
              tone={finished && sum.failed === 0 ? 'done' : 'normal'}
            />
            <p role="status" aria-live="polite">
              {sum.done} of {files.length} uploaded
              {sum.failed > 0 ? ` · ${sum.failed} failed` : ''} · {formatBytes(sum.loaded)} of{' '}
              {formatBytes(sum.total)} ({sum.percent}%)
            </p>
          </div>
          <ul className="files" aria-label="Files">
            {files.map((f) => (
              <li key={f.id} className={`file file-${f.status}`}>
                <div className="file-head">
                  <span className="file-name">{f.name}</span>
                  <span className="muted">{formatBytes(f.size)}</span>
                  <span className="file-status">
                    {f.status === 'queued' && 'Waiting'}
                    {f.status === 'uploading' && `${Math.floor((f.loaded / (f.size || 1)) * 100)}%`}
                    {f.status === 'done' && 'Uploaded'}
                    {f.status === 'error' && 'Failed'}
                  </span>
                </div>
                <ProgressBar
                  label={`Upload of ${f.name}`}
                  value={f.loaded}
                  max={f.size}
                  tone={f.status === 'error' ? 'error' : f.status === 'done' ? 'done' : 'normal'}
                />
                {f.error ? (
                  <div className="file-error-row">
                    <p className="error" role="alert">
                      {f.name}: {f.error}
                    </p>
                    {f.retryable ? (
                      <button
                        type="button"
                        onClick={() => retry(f.id)}
                        aria-label={`Retry ${f.name}`}
                      >
                        Retry
                      </button>
                    ) : null}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
          <div className="actions">
            {finished && sum.done > 0 ? (
              <a className="button primary" href="#/labels">
                See labels
              </a>
            ) : null}
            {finished ? (
              <button
                type="button"
                onClick={() => {
                  chosenFiles.current.clear();
                  dispatch({ type: 'clear-finished' });
                }}
              >
                Clear list
              </button>
            ) : null}
          </div>
        </div>
      ) : null}
    </section>
  );
}
