// Pages against a fake API, found by role and label as a person (and the browser test) would.

import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { App } from '../App';
import { fakeApi } from '../testing/fakeApi';
import { renderPage } from '../testing/render';
import { render } from '@testing-library/react';
import type { PutFn } from '../upload/transport';
import { ExecutionPage } from './ExecutionPage';
import { ExecutionsPage } from './ExecutionsPage';
import { JobPage } from './JobPage';
import { LabelsPage, labelId } from './LabelsPage';
import { OutboxPage } from './OutboxPage';
import { UploadPage } from './UploadPage';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);

describe('sign-in and session', () => {
  it('signs in with the local form, keeps the token in sessionStorage, and opens the upload page', async () => {
    const fake = fakeApi();
    window.location.hash = '#/signin';
    render(<App config={{ apiBase: '', auth: { mode: 'local' } }} fetchImpl={fake.fetch} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Username'), 'ana');
    await user.type(screen.getByLabelText('Password'), 'pw');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Upload photos' })).toBeInTheDocument();
    expect(sessionStorage.getItem('pam.session')).toContain('token-1');
    expect(window.location.hash).toBe('#/upload');
  });

  it('shows the server message for wrong credentials', async () => {
    const fake = fakeApi();
    render(<App config={{ apiBase: '', auth: { mode: 'local' } }} fetchImpl={fake.fetch} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Username'), 'ana');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('wrong username or password');
  });

  it('goes back to sign-in when the API answers 401', async () => {
    const fake = fakeApi();
    sessionStorage.setItem(
      'pam.session',
      JSON.stringify({ idToken: 'stale', expiresAt: Date.now() + 60_000 }),
    );
    window.location.hash = '#/labels';
    render(<App config={{ apiBase: '', auth: { mode: 'local' } }} fetchImpl={fake.fetch} />);
    expect(await screen.findByRole('heading', { name: 'Sign in to PAM' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(/session has ended/);
    expect(sessionStorage.getItem('pam.session')).toBeNull();
  });

  it('still explains an ended session after a reload', async () => {
    const fake = fakeApi();
    sessionStorage.setItem(
      'pam.session',
      JSON.stringify({ idToken: 'stale', expiresAt: Date.now() + 60_000 }),
    );
    window.location.hash = '#/labels';
    const first = render(
      <App config={{ apiBase: '', auth: { mode: 'local' } }} fetchImpl={fake.fetch} />,
    );
    await screen.findByRole('heading', { name: 'Sign in to PAM' });
    first.unmount();
    render(<App config={{ apiBase: '', auth: { mode: 'local' } }} fetchImpl={fake.fetch} />);
    expect(screen.getByRole('status')).toHaveTextContent(/session has ended/);
  });

  it('offers the Hosted UI button in cognito mode', () => {
    render(
      <App
        config={{
          apiBase: '',
          auth: {
            mode: 'cognito',
            domain: 'd.example',
            clientId: 'c',
            redirectUri: 'https://app/',
          },
        }}
      />,
    );
    expect(screen.getByRole('button', { name: 'Sign in with your account' })).toBeInTheDocument();
    expect(screen.queryByLabelText('Password')).toBeNull();
  });
});

describe('upload page', () => {
  it('uploads JPEGs, refuses a non-JPEG by its bytes, and shows per-file and total progress', async () => {
    const fake = fakeApi();
    const put = vi.fn<PutFn>(async (_u, body, _h, onProgress) => {
      onProgress(body.size);
      return { etag: '"e"' };
    });
    renderPage(<UploadPage deps={{ put }} />, fake);
    const user = userEvent.setup({ applyAccept: false });
    await user.upload(screen.getByLabelText('Choose photos'), [
      new File([JPEG], 'one.jpg', { type: 'image/jpeg' }),
      new File([PNG], 'fake.jpg', { type: 'image/jpeg' }),
      new File([JPEG], 'two.jpg', { type: 'image/jpeg' }),
    ]);
    await waitFor(() => expect(screen.getByText(/2 of 3 uploaded · 1 failed/)).toBeInTheDocument());
    expect(screen.getByRole('alert')).toHaveTextContent('fake.jpg: Not a JPEG');
    expect(screen.getByRole('progressbar', { name: 'Total upload progress' })).toHaveAttribute(
      'value',
      '16',
    );
    expect(screen.getByRole('progressbar', { name: 'Upload of one.jpg' })).toHaveAttribute(
      'value',
      '8',
    );
    expect(put).toHaveBeenCalledTimes(2);
    expect(
      fake.requests
        .filter((r) => r.path === '/uploads')
        .map((r) => (r.body as { file_name: string }).file_name)
        .sort(),
    ).toEqual(['one.jpg', 'two.jpg']);
    expect(screen.getByRole('link', { name: 'See labels' })).toHaveAttribute('href', '#/labels');
  });

  it('takes files dropped on the drop zone', async () => {
    const fake = fakeApi();
    const put = vi.fn<PutFn>(async (_u, body, _h, onProgress) => {
      onProgress(body.size);
      return { etag: null };
    });
    renderPage(<UploadPage deps={{ put }} />, fake);
    const zone = screen.getByRole('region', { name: 'Drop zone' });
    fireEvent.dragOver(zone);
    expect(zone).toHaveClass('dragging');
    fireEvent.drop(zone, {
      dataTransfer: { files: [new File([JPEG], 'dropped.jpg', { type: 'image/jpeg' })] },
    });
    await waitFor(() => expect(screen.getByText(/1 of 1 uploaded/)).toBeInTheDocument());
    expect(zone).not.toHaveClass('dragging');
  });

  it('asks before leaving while an upload runs', async () => {
    const fake = fakeApi();
    let finish!: () => void;
    const put = vi.fn<PutFn>(
      () => new Promise((resolve) => (finish = () => resolve({ etag: null }))),
    );
    renderPage(<UploadPage deps={{ put }} />, fake);
    await userEvent
      .setup()
      .upload(
        screen.getByLabelText('Choose photos'),
        new File([JPEG], 'slow.jpg', { type: 'image/jpeg' }),
      );
    await waitFor(() => expect(put).toHaveBeenCalled());
    const ev = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(ev);
    expect(ev.defaultPrevented).toBe(true);
    finish();
    await waitFor(() => expect(screen.getByText(/1 of 1 uploaded/)).toBeInTheDocument());
    const after = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(after);
    expect(after.defaultPrevented).toBe(false);
  });

  it('retries a failed upload, but offers no retry for a non-JPEG', async () => {
    const fake = fakeApi();
    let calls = 0;
    const put = vi.fn<PutFn>(async (_u, body, _h, onProgress) => {
      if (++calls === 1) throw new ApiError(0, 'network', 'the upload connection failed');
      onProgress(body.size);
      return { etag: null };
    });
    renderPage(<UploadPage deps={{ put }} />, fake);
    const user = userEvent.setup({ applyAccept: false });
    await user.upload(screen.getByLabelText('Choose photos'), [
      new File([JPEG], 'flaky.jpg', { type: 'image/jpeg' }),
    ]);
    expect(await screen.findByRole('alert')).toHaveTextContent('the upload connection failed');
    await user.click(screen.getByRole('button', { name: 'Retry flaky.jpg' }));
    await waitFor(() => expect(screen.getByText(/1 of 1 uploaded/)).toBeInTheDocument());
    expect(screen.queryByRole('alert')).toBeNull();

    await user.upload(screen.getByLabelText('Choose photos'), [
      new File([PNG], 'fake.jpg', { type: 'image/jpeg' }),
    ]);
    expect(await screen.findByRole('alert')).toHaveTextContent('Not a JPEG');
    expect(screen.queryByRole('button', { name: 'Retry fake.jpg' })).toBeNull();
  });

  it("shows the server's refusal next to the file", async () => {
    const fake = fakeApi();
    fake.override.set('POST /uploads', {
      status: 413,
      body: { error: { code: 'too_large', message: 'photo is over the size limit' } },
    });
    renderPage(<UploadPage deps={{ put: vi.fn() }} />, fake);
    await userEvent
      .setup()
      .upload(
        screen.getByLabelText('Choose photos'),
        new File([JPEG], 'big.jpg', { type: 'image/jpeg' }),
      );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'big.jpg: photo is over the size limit (HTTP 413, too_large)',
    );
  });
});

describe('labels page and download form', () => {
  it('lists labels with counts, validates the contact, and starts a download', async () => {
    const fake = fakeApi();
    window.location.hash = '#/labels';
    renderPage(<LabelsPage pollMs={20} />, fake);
    const user = userEvent.setup();
    const mountain = await screen.findByRole('checkbox', { name: 'Mountain (2)' });
    expect(screen.getByRole('checkbox', { name: 'Lake (1)' })).toBeInTheDocument();

    // nothing selected, bad contact: both explained, nothing sent
    await user.type(screen.getByLabelText('Email or phone'), 'not-an-address');
    await user.click(screen.getByRole('button', { name: 'Download' }));
    expect(screen.getByText('Select at least one label.')).toBeInTheDocument();
    expect(screen.getByLabelText('Email or phone')).toHaveAttribute('aria-invalid', 'true');
    expect(fake.requests.some((r) => r.path === '/downloads')).toBe(false);

    await user.click(mountain);
    await user.click(screen.getByRole('checkbox', { name: 'Lake (1)' }));
    await user.click(screen.getByRole('radio', { name: 'all selected labels' }));
    await user.clear(screen.getByLabelText('Email or phone'));
    await user.type(screen.getByLabelText('Email or phone'), 'ana@example.com');
    await user.selectOptions(screen.getByLabelText('Restore speed'), 'Bulk');
    await user.click(screen.getByRole('button', { name: 'Download' }));
    await waitFor(() => expect(window.location.hash).toBe('#/jobs/job-1'));
    const req = fake.requests.find((r) => r.path === '/downloads')!;
    expect(req.body).toEqual({
      labels: ['Mountain', 'Lake'],
      match: 'all',
      notify: { email: 'ana@example.com' },
      tier: 'Bulk',
    });
  });

  it('refreshes counts while labelling goes on and keeps the selection', async () => {
    const fake = fakeApi();
    renderPage(<LabelsPage pollMs={20} />, fake);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('checkbox', { name: 'Mountain (2)' }));
    fake.labels = [
      { name: 'Mountain', count: 3 },
      { name: 'Tree', count: 1 },
    ];
    const updated = await screen.findByRole('checkbox', { name: 'Mountain (3)' });
    expect(updated).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Tree (1)' })).not.toBeChecked();
    expect(screen.getByText(/1 label selected: Mountain \(3 photos\)/)).toBeInTheDocument();
  });

  it('sends a phone number in E.164', async () => {
    const fake = fakeApi();
    renderPage(<LabelsPage pollMs={1000} />, fake);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('checkbox', { name: 'Dog (1)' }));
    await user.type(screen.getByLabelText('Email or phone'), '+49 151 2345 6789');
    await user.click(screen.getByRole('button', { name: 'Download' }));
    await waitFor(() => expect(fake.requests.some((r) => r.path === '/downloads')).toBe(true));
    expect(fake.requests.find((r) => r.path === '/downloads')!.body).toMatchObject({
      notify: { phone: '+4915123456789' },
      match: 'any',
      tier: 'Standard',
    });
  });
});

describe('label ids', () => {
  it('never gives two names the same id', () => {
    expect(labelId('A B')).not.toBe(labelId('A_B'));
    expect(labelId('Mountain')).toBe('label-Mountain');
  });
});

describe('label filter', () => {
  it('narrows the list by name or parent and says when nothing matches', async () => {
    renderPage(<LabelsPage pollMs={1000} />, fakeApi());
    const user = userEvent.setup();
    await screen.findByRole('checkbox', { name: 'Dog (1)' });
    await user.type(screen.getByLabelText('Filter labels'), 'nature');
    expect(screen.getAllByRole('checkbox').map((c) => c.getAttribute('id'))).toEqual([
      'label-Mountain',
      'label-Lake',
    ]);
    await user.clear(screen.getByLabelText('Filter labels'));
    await user.type(screen.getByLabelText('Filter labels'), 'zebra');
    expect(screen.queryAllByRole('checkbox')).toHaveLength(0);
    expect(screen.getByText('No label matches “zebra”.')).toBeInTheDocument();
  });
});

describe('job page', () => {
  it('polls the job through its stages and shows the link when ready', async () => {
    const fake = fakeApi();
    const { api } = renderPage(<div />, fake);
    const { job_id } = await api.startDownload({
      labels: ['Mountain'],
      match: 'any',
      notify: { email: 'a@b.co' },
      tier: 'Standard',
    });
    renderPage(<JobPage id={job_id} pollMs={10} />, fake);
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Stage: restoring'));
    const link = await screen.findByRole('link', { name: 'Download zip' });
    expect(link).toHaveAttribute('href', 'https://store.test/bundles/job.zip?sig=abc');
    expect(screen.getByRole('status')).toHaveTextContent('Stage: ready');
    expect(
      screen.getByRole('list', { name: 'Progress' }).querySelector('[aria-current="step"]'),
    ).toHaveTextContent('ready');
    const zipped = screen.getByText('Zipped').parentElement!;
    expect(within(zipped).getByText('2')).toBeInTheDocument();
    const polls = fake.requests.filter((r) => r.path === `/downloads/${job_id}`).length;
    await new Promise((r) => setTimeout(r, 60));
    expect(fake.requests.filter((r) => r.path === `/downloads/${job_id}`).length).toBe(polls);
  });

  it('explains an unknown job', async () => {
    renderPage(<JobPage id="nope" pollMs={10} />, fakeApi());
    expect(await screen.findByRole('alert')).toHaveTextContent('no such job');
  });
});

describe('operator pages', () => {
  it('lists outbox messages with clickable links', async () => {
    renderPage(<OutboxPage />, fakeApi());
    expect(
      await screen.findByRole('heading', { name: 'Your photos are ready' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /bundles\/job\.zip/ })).toHaveAttribute(
      'href',
      'https://store.test/bundles/job.zip?sig=abc',
    );
  });

  it('lists executions with status and links to their history', async () => {
    renderPage(<ExecutionsPage />, fakeApi());
    const row = (await screen.findByRole('link', { name: 'job-1' })).closest('tr')!;
    expect(within(row).getByText('SUCCEEDED')).toBeInTheDocument();
    expect(within(row).getByText('download')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'job-1' })).toHaveAttribute(
      'href',
      '#/executions/arn%3Apam%3Astates%3Alocal%3A0%3Aexecution%3Adownload%3Ajob-1',
    );
  });

  it('shows an execution history table with state names', async () => {
    const fake = fakeApi();
    renderPage(<ExecutionPage arn="arn:pam:states:local:0:execution:download:job-1" />, fake);
    expect(await screen.findByRole('cell', { name: 'OpenChannel' })).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: 'ExecutionSucceeded' })).toBeInTheDocument();
    expect(screen.getAllByRole('row')).toHaveLength(4);
    expect(fake.requests.at(-1)!.path).toBe(
      '/executions/arn%3Apam%3Astates%3Alocal%3A0%3Aexecution%3Adownload%3Ajob-1/history',
    );
  });
});
