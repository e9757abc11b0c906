/**
 * AWS's Regions, by partition, and the Availability Zones of the Regions hosting stacks run in:
 * what `aws:region` and zone names are checked against (lib/config/rules.ts), and what a Region's
 * partition is (lib/naming.ts).
 */

/**
 * The Regions of each AWS partition, as the AWS SDK for JavaScript v3 lists them (the endpoint
 * rules' partitions.json: `partitionsInfo` of @aws-sdk/core 3.981.0,
 * `dist-es/submodules/client/util-endpoints/lib/aws/partitions.js`), without its `*-global`
 * pseudo-Regions. test/config/regions.test.ts checks this table against the installed SDK's.
 */
export const REGIONS_BY_PARTITION: Readonly<Record<string, readonly string[]>> = {
    aws: [
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ca-central-1",
        "ca-west-1",
        "eu-central-1",
        "eu-central-2",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "me-west-1",
        "mx-central-1",
        "sa-east-1",
        "sa-west-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
    ],
    "aws-cn": ["cn-north-1", "cn-northwest-1"],
    "aws-eusc": ["eusc-de-east-1"],
    "aws-iso": ["us-iso-east-1", "us-iso-west-1"],
    "aws-iso-b": ["us-isob-east-1", "us-isob-west-1"],
    "aws-iso-e": ["eu-isoe-west-1"],
    "aws-iso-f": ["us-isof-east-1", "us-isof-south-1"],
    "aws-us-gov": ["us-gov-east-1", "us-gov-west-1"],
};

/** Every Region of every partition. */
export const KNOWN_REGIONS: readonly string[] = Object.values(REGIONS_BY_PARTITION).flat();

/** The partition of a known Region, else undefined. */
export function partitionOfRegion(region: string): string | undefined {
    return Object.keys(REGIONS_BY_PARTITION).find((p) => REGIONS_BY_PARTITION[p].includes(region));
}

/**
 * The letters of the Availability Zone names of the Regions hosting stacks run in (the Regions
 * offering Custom Model Import: CUSTOM_MODEL_IMPORT_REGIONS in lib/config/rules.ts): one zone name
 * per AZ ID the Region has, per "AWS Availability Zones" in the AWS Regions and Availability Zones
 * guide (docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html:
 * use1-az1 to use1-az6, use2-az1 to use2-az3, usw2-az1 to usw2-az4, euc1-az1 to euc1-az3), named
 * as the EC2 API's DescribeAvailabilityZones (`aws ec2 describe-availability-zones --region
 * <region>`) returns them: the Region code and one letter. In Regions that map zones to names per
 * account (us-east-1, us-west-2), a name's AZ ID differs between accounts, but the names are these;
 * which of them an account may use, DescribeAvailabilityZones tells. Local and Wavelength Zones
 * (`us-east-1-bos-1a`) are not zones of the Region here.
 */
export const AVAILABILITY_ZONE_LETTERS: Readonly<Record<string, string>> = {
    "us-east-1": "abcdef",
    "us-east-2": "abc",
    "us-west-2": "abcd",
    "eu-central-1": "abc",
};

/** The zone names of a Region in the table, else undefined. */
export function zonesOf(region: string): string[] | undefined {
    const letters = AVAILABILITY_ZONE_LETTERS[region];
    return letters === undefined ? undefined : [...letters].map((l) => `${region}${l}`);
}
