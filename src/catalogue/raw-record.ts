/**
 * The portal's record as its API returned it (sources/dvc/PROVENANCE.md), only the fields the
 * importer reads. Objects are loose: the portal has many more fields we do not use, and a new one
 * must not break the import. Nullable where the snapshot has nulls.
 */
import { z } from 'zod';

const text = z.string().nullish().transform((v) => v ?? '');
const named = z.looseObject({ name: text, code: text.optional() });

const Fee = z.looseObject({ type: text, value: z.number().nullish().transform((v) => v ?? 0), description: text });
const Method = z.looseObject({
  submissionMethod: text,
  /** A number, a numeric string, or (some records) the time in words. */
  processingTime: z.union([z.number(), z.string()]).nullish(),
  processingTimeUnit: text,
  description: text,
  fees: z.array(Fee).nullish().transform((v) => v ?? []),
});
const Component = z.looseObject({
  name: text,
  originalQty: z.number().nullish(),
  copyQty: z.number().nullish(),
  required: z.boolean().nullish(),
  attachments: z.array(z.looseObject({ name: text.optional(), fileName: text.optional() }).nullable()).nullish(),
});
const ExecutionCase = z.looseObject({ name: text, profileComponents: z.array(Component).nullish().transform((v) => v ?? []) });
const Case = z.looseObject({ name: text, processingDay: z.looseObject({ qty: z.number().nullish(), type: text }).nullish() });

export const RawDetail = z.looseObject({
  id: z.string(),
  code: z.string(),
  name: text,
  category: named.nullish(),
  departmentPromulgateName: text,
  executionSteps: z.array(z.looseObject({ description: text, name: text })).nullish().transform((v) => v ?? []),
  executionMethods: z.array(Method).nullish().transform((v) => v ?? []),
  executionCases: z.array(ExecutionCase).nullish().transform((v) => v ?? []),
  cases: z.array(Case).nullish().transform((v) => v ?? []),
  legalBasisesDetails: z.array(named).nullish().transform((v) => v ?? []),
  resultsDetails: z.array(named).nullish().transform((v) => v ?? []),
  subjectTypesDetails: z.array(named).nullish().transform((v) => v ?? []),
  requirementsAndConditions: text,
  unitGroupsExecuting: z.array(named.nullable()).nullish().transform((v) => (v ?? []).filter((u): u is NonNullable<typeof u> => !!u)),
  isWard: z.boolean().nullish(),
  isProvince: z.boolean().nullish(),
  isMinistry: z.boolean().nullish(),
  isVertical: z.boolean().nullish(),
  procedureProposal: z
    .looseObject({
      proposalNumber: text,
      decisionDate: z.number().nullish(),
      issuingAgency: named.nullish(),
    })
    .nullish(),
  updatedAt: z.number(),
});
export type RawDetail = z.infer<typeof RawDetail>;

/** One line of procedures-raw.jsonl. */
export const RawLine = z.looseObject({
  group: z.string(),
  raw: z.looseObject({ id: z.string(), code: z.string(), name: text, detail: RawDetail }),
});
export type RawLine = z.infer<typeof RawLine>;
