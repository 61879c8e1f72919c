import { mockServices } from '@backstage/backend-test-utils';
import { HistoryRetention, RETENTION_TASK_ID } from './HistoryRetention';

describe('HistoryRetention', () => {
  it('deletes what is older than retentionDays and logs what it removed', async () => {
    const deleteOlderThan = jest
      .fn()
      .mockResolvedValue({ buckets: 3, transitions: 2 });
    const logger = mockServices.logger.mock();
    const deleteNoticesOlderThan = jest.fn().mockResolvedValue(4);
    const retention = new HistoryRetention({
      store: { deleteOlderThan, deleteNoticesOlderThan },
      logger,
      retentionDays: 30,
    });
    await expect(
      retention.run(new Date('2025-03-31T00:00:00Z')),
    ).resolves.toEqual({ buckets: 3, transitions: 2, notices: 4 });
    expect(deleteOlderThan).toHaveBeenCalledWith(
      new Date('2025-03-01T00:00:00Z'),
    );
    // Sent notices are kept far longer: 400 days.
    expect(deleteNoticesOlderThan).toHaveBeenCalledWith(
      new Date('2024-02-25T00:00:00Z'),
    );
    expect(logger.info).toHaveBeenCalledWith(
      'Health retention: removed 3 bucket(s) and 2 state change(s) before 2025-03-01T00:00:00.000Z, 4 sent notice(s) before 2024-02-25T00:00:00.000Z',
    );
  });

  it('schedules itself as one global task', async () => {
    const scheduler = mockServices.scheduler.mock();
    const retention = new HistoryRetention({
      store: { deleteOlderThan: jest.fn(), deleteNoticesOlderThan: jest.fn() },
      logger: mockServices.logger.mock(),
      retentionDays: 30,
    });
    await retention.schedule(scheduler);
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: RETENTION_TASK_ID,
        scope: 'global',
        frequency: { hours: 6 },
      }),
    );
  });
});
