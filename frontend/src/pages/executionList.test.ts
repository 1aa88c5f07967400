// Executions page helpers: ordering across timestamp formats and the filters.

import { describe, expect, it } from 'vitest';
import type { Execution } from '../api/types';
import { choices, filterExecutions, machineName, timeValue } from './executionList';

const ex = (name: string, machine: string, status: string, start: string | number): Execution => ({
  execution_arn: `arn:x:${name}`,
  name,
  state_machine: `arn:aws:states:eu-west-1:1:stateMachine:${machine}`,
  status,
  start_date: start as string,
});

describe('execution list helpers', () => {
  it('reads ISO strings, epoch seconds and epoch milliseconds alike', () => {
    expect(timeValue('2026-01-01T00:00:00Z')).toBe(Date.UTC(2026, 0, 1));
    expect(timeValue(1767225600)).toBe(Date.UTC(2026, 0, 1));
    expect(timeValue(1767225600000)).toBe(Date.UTC(2026, 0, 1));
    expect(timeValue(null)).toBe(0);
    expect(timeValue('not a date')).toBe(0);
  });

  it('orders newest first across formats and filters by status and machine', () => {
    const list = [
      ex('a', 'labelling', 'SUCCEEDED', '2026-01-01T00:00:00Z'),
      ex('b', 'download', 'FAILED', 1767312000),
      ex('c', 'labelling', 'RUNNING', '2026-01-03T00:00:00Z'),
    ];
    expect(filterExecutions(list, { status: '', machine: '' }).map((x) => x.name)).toEqual([
      'c',
      'b',
      'a',
    ]);
    expect(filterExecutions(list, { status: 'FAILED', machine: '' }).map((x) => x.name)).toEqual([
      'b',
    ]);
    expect(filterExecutions(list, { status: '', machine: 'labelling' }).map((x) => x.name)).toEqual(
      ['c', 'a'],
    );
    expect(choices(list)).toEqual({
      statuses: ['FAILED', 'RUNNING', 'SUCCEEDED'],
      machines: ['download', 'labelling'],
    });
  });

  it('takes the last part of an ARN as the machine name', () => {
    expect(machineName('arn:aws:states:eu-west-1:1:stateMachine:download')).toBe('download');
    expect(machineName('labelling')).toBe('labelling');
  });
});
