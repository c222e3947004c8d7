import { describe, expect, test } from 'vitest';
import { Tickets } from '../../www/tickets.js';

describe('Tickets', () => {
  test('only the newest ticket is current, and revoke supersedes them all', () => {
    const tickets = new Tickets();
    const first = tickets.issue();
    expect(first()).toBe(true);
    const second = tickets.issue();
    expect([first(), second()]).toEqual([false, true]);
    tickets.revoke();
    expect(second()).toBe(false);
    expect(tickets.issue()()).toBe(true);
  });
});
