/**
 * Threat-model cases over resource inputs outside policy documents (issue 21), one module per
 * threat class under inputs/: secrets in plain text, ML resources with an internet path, open
 * egress, evidence that can be switched off, long-lived credentials, accounts outside the
 * environment. Each insecure case is a spelling of the threat its rule must report; each
 * acceptable one a look-alike no rule may report.
 */
import { PackCase } from "./types";
import { secretCases } from "./inputs/secrets";
import { mlNetworkCases } from "./inputs/mlNetwork";
import { egressCases } from "./inputs/egress";
import { evidenceCases } from "./inputs/evidence";
import { credentialCases } from "./inputs/credentials";
import { dataPerimeterCases } from "./inputs/dataPerimeter";

export const resourceInputCases: readonly PackCase[] = [
    ...secretCases,
    ...mlNetworkCases,
    ...egressCases,
    ...evidenceCases,
    ...credentialCases,
    ...dataPerimeterCases,
];
