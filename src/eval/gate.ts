/** The accuracy `npm test` and `npm run eval` require on the phrase bank, and where it lives. */
export const EVAL_GATE = 0.95;
export const PHRASES_FILE = 'eval/phrases.yaml';
