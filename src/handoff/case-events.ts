/**
 * Notifications about cases, for the staff console's live updates (SSE). Emitted after the case
 * store has the change (or inside the chat step that writes it: the store's bus delivers once
 * that step committed), so a listener that reads the case sees it. They travel over the store's
 * Bus: in one process for the embedded store, over LISTEN/NOTIFY between instances on PostgreSQL,
 * so a console served by one instance shows a case opened through another.
 */
import { EventEmitter } from 'node:events';
import type { Bus } from '../store/store';

export interface CaseEvent {
  type: 'opened' | 'message' | 'claimed' | 'closed';
  caseId: string;
  at: number;
}

const TOPIC = 'case';

export class CaseEvents {
  readonly #emitter = new EventEmitter();
  readonly #bus: Bus | undefined;
  readonly #unsubscribe: () => void;

  /** Without a bus, events stay in this process (unit tests). */
  constructor(bus?: Bus) {
    this.#emitter.setMaxListeners(0);
    this.#bus = bus;
    this.#unsubscribe = bus
      ? bus.subscribe(TOPIC, (payload) => {
          let event: CaseEvent;
          try {
            event = JSON.parse(payload) as CaseEvent;
          } catch {
            return; // not ours; a console must not fall over on a stray message
          }
          this.#emitter.emit('case', event);
        })
      : () => undefined;
  }

  emit(event: CaseEvent): void {
    if (!this.#bus) {
      this.#emitter.emit('case', event);
      return;
    }
    // A lost live update only delays the console until its next refresh; it must not fail the chat step.
    void this.#bus.publish(TOPIC, JSON.stringify(event)).catch(() => undefined);
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: (event: CaseEvent) => void): () => void {
    this.#emitter.on('case', listener);
    return () => this.#emitter.off('case', listener);
  }

  get listeners(): number {
    return this.#emitter.listenerCount('case');
  }

  close(): void {
    this.#unsubscribe();
  }
}
