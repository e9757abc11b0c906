/** Every rule of the pack, in the order docs/policy-pack.md lists them. */
import { iamPolicies } from "./iam";
import { kmsPolicies } from "./kms";
import { egressPolicies, networkPolicies } from "./network";
import { s3Policies } from "./s3";
import { servicePolicies } from "./services";
import { perimeterPolicies } from "./perimeter";
import { documentPolicies } from "./documents";
import { sharedArtifactPolicies } from "./sharedArtifacts";
import { grantPolicies } from "./grants";
import { adminPowerToAdministrators } from "./adminPower";
import { guardrailPolicies } from "./guardrails";
import { secretPolicies } from "./secrets";
import { mlPolicies } from "./ml";
import { evidencePolicies } from "./evidence";
import { credentialPolicies } from "./credentials";
import { dataPerimeterPolicies } from "./dataPerimeter";

export const allPolicies = [
    ...s3Policies,
    ...kmsPolicies,
    ...iamPolicies,
    adminPowerToAdministrators,
    ...documentPolicies,
    ...sharedArtifactPolicies,
    ...grantPolicies,
    ...guardrailPolicies,
    ...networkPolicies,
    ...perimeterPolicies,
    ...servicePolicies,
    ...secretPolicies,
    ...mlPolicies,
    ...egressPolicies,
    ...evidencePolicies,
    ...credentialPolicies,
    ...dataPerimeterPolicies,
];
