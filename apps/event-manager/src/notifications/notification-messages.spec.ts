import { emailMessage, pagerDutyEvent, slackMessage } from './notification-messages';
import type { NotificationPayload } from './notifications.repository';

const firing: NotificationPayload = {
  kind: 'alert',
  title: '[critical] high-error-rate is firing',
  severity: 'critical',
  state: 'firing',
  rule: 'high-error-rate',
  condition: 'error_rate > 0.05',
  values: { 'error_rate[5m]': 0.1 },
  scope: null,
  workspace: 'acme',
  at: '2026-12-07T08:00:00.000Z',
};

describe('notification messages', () => {
  it('mails the rule, its condition and the values that made it fire', () => {
    const mail = emailMessage(firing);
    expect(mail.subject).toBe('[critical] high-error-rate is firing');
    expect(mail.text).toContain('Condition: error_rate > 0.05');
    expect(mail.text).toContain('error_rate[5m] = 0.1000');
  });

  it('keeps a subject on one line', () => {
    expect(emailMessage({ ...firing, title: 'a\r\nBcc: x@y.z' }).subject).toBe('a Bcc: x@y.z');
  });

  it('posts Slack a text', () => {
    expect(slackMessage(firing).text).toMatch(/^\*\[critical\] high-error-rate is firing\*\n/);
  });

  it('triggers and resolves one PagerDuty incident per rule (Events API v2)', () => {
    const trigger = pagerDutyEvent(firing, 'KEY');
    expect(trigger).toMatchObject({
      routing_key: 'KEY',
      event_action: 'trigger',
      payload: { summary: firing.title, source: 'baton/acme', severity: 'critical' },
    });
    const resolve = pagerDutyEvent({ ...firing, state: 'resolved' }, 'KEY');
    expect(resolve).toEqual({
      routing_key: 'KEY',
      event_action: 'resolve',
      dedup_key: trigger.dedup_key,
    });
    expect(trigger.dedup_key).toMatch(/^[0-9a-f]{64}$/);
  });
});
