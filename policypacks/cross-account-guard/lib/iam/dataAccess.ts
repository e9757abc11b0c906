/**
 * Which granted actions reach the data of a resource, as opposed to administering it: the
 * cryptographic operations of a key (AWS KMS Developer Guide, "Permissions reference"), and every
 * action of S3 on a bucket. One place for what "using the data" means, for every rule that asks.
 */
import { ActionSet, expand, grants } from "./actions";

/** The KMS operations that use a key's material (and CreateGrant, which can delegate them). */
export const KEY_USE_ACTIONS = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyPair",
    "kms:GenerateDataKeyPairWithoutPlaintext",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GenerateMac",
    "kms:VerifyMac",
    "kms:Sign",
    "kms:Verify",
    "kms:DeriveSharedSecret",
    "kms:CreateGrant",
];

/** The key-use operations a set grants. */
export const keyUseIn = (set: ActionSet): string[] => KEY_USE_ACTIONS.filter((a) => grants(set, a));

/** The S3 actions a set grants (the reference's, expanded). */
export const s3ActionsIn = (set: ActionSet): string[] => expand(set, ["s3"]).map((a) => a.name);
