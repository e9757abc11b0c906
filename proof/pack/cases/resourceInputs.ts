/** Threat-model cases over resource inputs outside policy documents. */
import { PackCase } from "./types";

export const resourceInputCases: readonly PackCase[] = [];
