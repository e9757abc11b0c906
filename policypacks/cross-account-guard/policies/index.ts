/** Every rule of the pack, in the order docs/policy-pack.md lists them. */
import { iamPolicies } from "./iam";
import { kmsPolicies } from "./kms";
import { networkPolicies } from "./network";
import { s3Policies } from "./s3";
import { servicePolicies } from "./services";
import { perimeterPolicies } from "./perimeter";

export const allPolicies = [...s3Policies, ...kmsPolicies, ...iamPolicies, ...networkPolicies, ...perimeterPolicies, ...servicePolicies];
