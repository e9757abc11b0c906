/** Threat-model cases over policy documents (identity, resource, trust, endpoint, SCP). */
import { PackCase } from "./types";

export const policyDocumentCases: readonly PackCase[] = [];
