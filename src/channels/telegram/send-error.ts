/**
 * What a failed Bot API call means for the sender (https://core.telegram.org/bots/api#making-requests):
 * 429 → retry after `parameters.retry_after` seconds; 5xx and no answer at all (grammY's
 * HttpError) → retry with backoff; 403 (bot blocked, user deactivated, bot kicked) and
 * "chat not found" → the chat is unreachable (permanent); any other 4xx → this message was
 * refused (invalid).
 */
import { GrammyError, HttpError } from 'grammy';
import { SendError } from '../channel';

const UNREACHABLE = /chat not found|user is deactivated|bot was blocked|bot was kicked|PEER_ID_INVALID|have no rights to send/i;

export function telegramSendError(method: string, e: unknown): SendError {
  if (e instanceof SendError) return e;
  if (e instanceof GrammyError) {
    const what = `telegram ${method}: ${e.error_code} ${e.description}`;
    if (e.error_code === 429) return new SendError(what, 'retry', (e.parameters.retry_after ?? 1) * 1000, { cause: e });
    if (e.error_code >= 500) return new SendError(what, 'retry', undefined, { cause: e });
    if (e.error_code === 403 || UNREACHABLE.test(e.description)) return new SendError(what, 'permanent', undefined, { cause: e });
    return new SendError(what, 'invalid', undefined, { cause: e });
  }
  // Neither the inner error nor its message: a fetch error names the URL, which holds the token.
  if (e instanceof HttpError) return new SendError(`telegram ${method}: no usable answer (network)`, 'retry');
  return new SendError(`telegram ${method}: ${(e as Error)?.message ?? String(e)}`, 'retry', undefined, { cause: e });
}
