import { SignalApi } from '@backstage/plugin-signals-react';

type Message = Parameters<Parameters<SignalApi['subscribe']>[1]>[0];

/** Lets a test publish on a channel the way the signals backend would. */
export class FakeSignalApi implements SignalApi {
  private readonly subscribers = new Map<
    string,
    Set<(message: Message) => void>
  >();

  subscribe<T extends Message = Message>(
    channel: string,
    onMessage: (message: T) => void,
  ) {
    const set = this.subscribers.get(channel) ?? new Set();
    const handler = onMessage as (message: Message) => void;
    set.add(handler);
    this.subscribers.set(channel, set);
    return { unsubscribe: () => void set.delete(handler) };
  }

  publish(channel: string, message: Message) {
    this.subscribers.get(channel)?.forEach(fn => fn(message));
  }
}
