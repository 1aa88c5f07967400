// Hash routes, including ARNs with colons and slashes.

import { describe, expect, it } from 'vitest';
import { href, parseRoute } from './router';

describe('hash routes', () => {
  it('parses every page', () => {
    expect(parseRoute('')).toEqual({ page: 'upload' });
    expect(parseRoute('#/')).toEqual({ page: 'upload' });
    expect(parseRoute('#/labels')).toEqual({ page: 'labels' });
    expect(parseRoute('#/jobs')).toEqual({ page: 'jobs' });
    expect(parseRoute('#/jobs/abc-1')).toEqual({ page: 'job', id: 'abc-1' });
    expect(parseRoute('#/outbox')).toEqual({ page: 'outbox' });
    expect(parseRoute('#/executions')).toEqual({ page: 'executions' });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'not-found', path: '/nowhere' });
  });
  it('round-trips an execution ARN with colons and slashes', () => {
    const arn = 'arn:aws:states:eu-west-1:123:execution:download:x/y';
    expect(parseRoute(href({ page: 'execution', arn }))).toEqual({ page: 'execution', arn });
  });
  it('keeps a malformed escape as it is', () => {
    expect(parseRoute('#/jobs/%E0%A4%A')).toEqual({ page: 'job', id: '%E0%A4%A' });
  });
});
