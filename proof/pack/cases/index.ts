/** Every threat-model case of the policy pack (types.ts says what a case is). */
import { PackCase } from "./types";
import { policyDocumentCases } from "./policyDocuments";
import { resourceInputCases } from "./resourceInputs";

export const CASES: readonly PackCase[] = [...policyDocumentCases, ...resourceInputCases];
