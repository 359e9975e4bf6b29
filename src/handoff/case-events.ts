/**
 * In-process notifications about cases, for the staff console's live updates (SSE). Emitted
 * after the case store has the change, so a listener that reads the case sees it. One process
 * only: several instances behind a load balancer would need a shared bus (Redis, later).
 */
import { EventEmitter } from 'node:events';

export interface CaseEvent {
  /** `sla`: the case has waited past CASE_SLA_MINUTES (sent again every period it keeps waiting). */
  type: 'opened' | 'message' | 'claimed' | 'closed' | 'transferred' | 'note' | 'rated' | 'sla';
  caseId: string;
  at: number;
  /** The case's queue (commune code or 'province'), so each console gets only the events of its scope. */
  queue?: string;
  /** For `transferred`: the queue it left, whose consoles must drop the row. */
  from?: string;
}

export class CaseEvents {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  emit(event: CaseEvent): void {
    this.#emitter.emit('case', event);
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: (event: CaseEvent) => void): () => void {
    this.#emitter.on('case', listener);
    return () => this.#emitter.off('case', listener);
  }

  get listeners(): number {
    return this.#emitter.listenerCount('case');
  }
}
