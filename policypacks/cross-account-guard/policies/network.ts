/** VPC-only rules: no internet path, no open ingress, flow logs everywhere, the default group closed. */
import { PolicyResource } from "@pulumi/policy";
import { RuleResource, resourceRule, stackRule } from "../lib/rule";
import { StackResource, ofTypes, settingsFor } from "../lib/resources";
import { ResourceType } from "../lib/props";
import { statementsOf } from "../lib/iam/policy";
import { restricting } from "../lib/iam/conditions";
import { enumIs, listOf, objectOf, rawInputs, stringsOf } from "../lib/values";
import { isInternetWide } from "../lib/cidr";

const VPC = ["aws:ec2/vpc:Vpc"] as const;

export const noInternetGateway = resourceRule(
    {
        name: "vpc-no-internet-gateway",
        description: "No internet gateway or egress-only internet gateway: model workloads reach AWS through VPC endpoints only.",
        category: "vpc-only",
        severity: "high",
        remediation:
            "Remove the gateway and reach AWS services through S3 gateway and interface endpoints; set allowInternetGateway for a stack that truly needs egress.",
        config: { allowInternetGateway: { schema: { type: "boolean" }, default: false } },
    },
    ["aws:ec2/internetGateway:InternetGateway", "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway"],
    (_gw, report, config) => {
        if (!config.allowInternetGateway) report("Internet gateways are not allowed in a VPC-only environment.");
    },
);

export const noNatGateway = resourceRule(
    {
        name: "vpc-no-nat-gateway",
        description: "No NAT gateway: private subnets have no route to the internet.",
        category: "vpc-only",
        severity: "high",
        remediation:
            "Remove the NAT gateway and add the VPC endpoints the workload needs; set allowNatGateway for a stack that truly needs egress.",
        config: { allowNatGateway: { schema: { type: "boolean" }, default: false } },
    },
    ["aws:ec2/natGateway:NatGateway"],
    (_nat, report, config) => {
        if (!config.allowNatGateway) report("NAT gateways are not allowed in a VPC-only environment.");
    },
);

export const noPublicIpSubnets = resourceRule(
    {
        name: "vpc-no-public-ip-subnet",
        description: "No subnet assigns public IPv4 addresses on launch.",
        category: "vpc-only",
        severity: "high",
        remediation: "Set mapPublicIpOnLaunch: false on the subnet.",
    },
    ["aws:ec2/subnet:Subnet"],
    (subnet, report) => {
        if (subnet.props.mapPublicIpOnLaunch === true) report("The subnet maps public IPs on launch.");
    },
);

const INGRESS_TYPES = [
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
] as const;

/** The ingress sources of a security group or rule resource that are open to the internet. */
function openIngress(resource: RuleResource<(typeof INGRESS_TYPES)[number]>): string[] {
    // Whatever the spelling: 0.0.0.0/0, ::/0, 0:0:0:0:0:0:0:0/0, or the internet split into broad blocks (lib/cidr.ts).
    const open = (v4: unknown, v6: unknown) => [v4, v6].flat().map(String).filter(isInternetWide);
    switch (resource.type) {
        case "aws:ec2/securityGroup:SecurityGroup":
            return (resource.props.ingress ?? []).flatMap((r) => open(r.cidrBlocks ?? [], r.ipv6CidrBlocks ?? []));
        case "aws:ec2/securityGroupRule:SecurityGroupRule":
            return resource.props.type === "ingress" ? open(resource.props.cidrBlocks ?? [], resource.props.ipv6CidrBlocks ?? []) : [];
        default:
            return open(resource.props.cidrIpv4, resource.props.cidrIpv6);
    }
}

export const noOpenIngress = resourceRule(
    {
        name: "vpc-no-open-ingress",
        description: "No security group admits traffic from 0.0.0.0/0 or ::/0, however spelled (or split into blocks as broad).",
        category: "vpc-only",
        severity: "critical",
        remediation: "Admit only the VPC CIDR, a prefix list or another security group.",
    },
    INGRESS_TYPES,
    (resource, report) => {
        for (const source of openIngress(resource)) report(`Ingress from ${source} is open to the internet.`);
    },
);

/** Runs `check` for each VPC with the resources of `types` whose vpcId points at it. */
function eachVpc<T extends ResourceType>(
    resources: readonly PolicyResource[],
    types: readonly T[],
    check: (settings: StackResource<T>[]) => string | undefined,
    report: (m: string, urn?: string) => void,
): void {
    for (const vpc of ofTypes(resources, VPC)) {
        const problem = check(settingsFor(vpc, resources, types, "vpcId"));
        if (problem) report(`VPC ${vpc.name}: ${problem}`, vpc.urn);
    }
}

export const flowLogs = stackRule(
    {
        name: "vpc-flow-logs",
        description: "Every VPC has flow logs capturing all traffic.",
        category: "vpc-only",
        severity: "medium",
        remediation: 'Add an aws.ec2.FlowLog with vpcId set to the VPC and trafficType "ALL", delivering to a KMS-encrypted log group.',
    },
    (resources, report) =>
        eachVpc(
            resources,
            ["aws:ec2/flowLog:FlowLog"],
            (logs) => (logs.some((l) => l.props.trafficType === "ALL") ? undefined : "has no flow log of all traffic"),
            report,
        ),
);

export const defaultSecurityGroupClosed = stackRule(
    {
        name: "vpc-default-sg-closed",
        description: "Every VPC takes over its default security group and leaves it without rules.",
        category: "vpc-only",
        severity: "medium",
        remediation: "Add an aws.ec2.DefaultSecurityGroup with vpcId set to the VPC and no ingress or egress.",
    },
    (resources, report) =>
        eachVpc(
            resources,
            ["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"],
            (groups) => {
                if (groups.length === 0) return "leaves its default security group with AWS's default rules";
                const withRules = groups.filter((g) => (g.props.ingress ?? []).length > 0 || (g.props.egress ?? []).length > 0);
                return withRules.length > 0 ? "default security group has rules" : undefined;
            },
            report,
        ),
);

/** Condition keys that keep an endpoint's reach to resources of named accounts or organizations. */
const RESOURCE_PERIMETER_KEYS = ["aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths"];

/**
 * Allow statements of an endpoint policy that let every action of a service (`*`, `kms:*`) through
 * on every resource with no resource perimeter: a principal in the VPC could then reach any
 * account's resources of that service (the exfiltration path a data perimeter closes).
 */
function serviceWideGrants(policy: unknown): string[] {
    return statementsOf(policy)
        .filter((s) => s.effect === "Allow")
        .filter((s) => {
            const serviceWide = s.actions.except || s.actions.patterns.some((p) => p === "*" || /^[a-z0-9-]+:\*+$/i.test(p));
            const everyResource = s.resources.except || s.resources.patterns.includes("*");
            return serviceWide && everyResource && restricting(s.conditions, RESOURCE_PERIMETER_KEYS).length === 0;
        })
        .map((s) => s.sid);
}

export const endpointPolicy = resourceRule(
    {
        name: "vpc-endpoint-policy",
        description:
            "VPC endpoints carry an endpoint policy that does not let a whole service through on every resource without aws:ResourceAccount (or aws:ResourceOrgID), and interface endpoints enable private DNS so AWS SDK calls resolve to them.",
        category: "vpc-only",
        severity: "medium",
        remediation:
            "Set policy on the aws.ec2.VpcEndpoint: list the actions the workloads call, limit principals with aws:PrincipalAccount and resources with aws:ResourceAccount; set privateDnsEnabled: true on interface endpoints.",
        config: {
            servicesWithoutPolicySupport: {
                schema: {
                    type: "array",
                    items: { type: "string" },
                    description: "Endpoint service names (com.amazonaws.<region>.<service>) that accept no endpoint policy.",
                },
                default: [],
            },
            allowServiceWideActions: {
                schema: {
                    type: "boolean",
                    description: 'Accept "*" or "<service>:*" on every resource without a resource perimeter condition.',
                },
                default: false,
            },
        },
    },
    ["aws:ec2/vpcEndpoint:VpcEndpoint"],
    (endpoint, report, config) => {
        const service = String(endpoint.props.serviceName ?? "");
        const exempt = config.servicesWithoutPolicySupport.some((s) => service === s || service.endsWith(`.${s}`));
        if (!exempt && !("policy" in endpoint.props)) report(`Endpoint ${service} has no endpoint policy (full access for any principal).`);
        if (!exempt && !config.allowServiceWideActions && "policy" in endpoint.props) {
            for (const sid of serviceWideGrants(endpoint.props.policy)) {
                report(
                    `Endpoint ${service}: statement ${sid} allows a whole service on every resource without aws:ResourceAccount; list the actions workloads call and limit the resources' accounts.`,
                );
            }
        }
        if (endpoint.props.vpcEndpointType === "Interface" && endpoint.props.privateDnsEnabled !== true)
            report(`Interface endpoint ${service} does not enable private DNS.`);
    },
);

export const logGroupEncrypted = resourceRule(
    {
        name: "logs-group-kms",
        description: "CloudWatch log groups (flow logs among them) are encrypted with a customer managed KMS key.",
        category: "encryption",
        severity: "medium",
        remediation:
            "Set kmsKeyId on the aws.cloudwatch.LogGroup to a key whose policy lets logs.<region>.amazonaws.com use it for that log group.",
    },
    ["aws:cloudwatch/logGroup:LogGroup"],
    (group, report) => {
        if (!("kmsKeyId" in group.props)) report("The log group is not encrypted with a KMS key.");
    },
);

export const networkPolicies = [
    noInternetGateway,
    noNatGateway,
    noPublicIpSubnets,
    noOpenIngress,
    flowLogs,
    defaultSecurityGroupClosed,
    endpointPolicy,
    logGroupEncrypted,
];

// Egress to the internet (issue 21): advisory on its own, mandatory where the stack also has a
// way out (defence in depth: the route table is one control, the group the other).

const EGRESS_TYPES = [
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws-native:ec2:SecurityGroup",
    "aws-native:ec2:SecurityGroupEgress",
] as const;

/**
 * The internet-wide destinations (lib/cidr.ts) a group or rule lets traffic out to, read behind
 * the framework's proxy (a value unknown during preview is no CIDR; the update judges it). A
 * @pulumi/aws SecurityGroup without `egress` has none: the provider removes AWS's default
 * allow-all rule ("NOTE on Egress rules", aws.ec2.SecurityGroup). CloudFormation keeps it unless
 * one egress rule is given ("AWS::EC2::SecurityGroup": "The default rule is removed only when you
 * specify one or more egress rules"), so an aws-native group without any is open.
 */
function openEgressOf(type: string, props: object): string[] {
    const inputs = rawInputs(props);
    const blocks = (rule: unknown, v4: string, v6: string) => {
        const r = objectOf(rule) ?? {};
        return [...stringsOf(r[v4]), ...stringsOf(r[v6])].filter(isInternetWide);
    };
    switch (type) {
        case "aws:ec2/securityGroup:SecurityGroup":
            return listOf(inputs.egress).flatMap((r) => blocks(r, "cidrBlocks", "ipv6CidrBlocks"));
        case "aws:ec2/securityGroupRule:SecurityGroupRule":
            return enumIs(inputs.type, "egress") ? blocks(inputs, "cidrBlocks", "ipv6CidrBlocks") : [];
        case "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":
            return blocks(inputs, "cidrIpv4", "cidrIpv6");
        case "aws-native:ec2:SecurityGroup": {
            const rules = listOf(inputs.securityGroupEgress);
            return rules.length === 0 ? ["0.0.0.0/0 (AWS's default rule)"] : rules.flatMap((r) => blocks(r, "cidrIp", "cidrIpv6"));
        }
        case "aws-native:ec2:SecurityGroupEgress":
            return blocks(inputs, "cidrIp", "cidrIpv6");
        default:
            return [];
    }
}

export const noOpenEgress = resourceRule(
    {
        name: "vpc-no-open-egress",
        description:
            "No security group lets traffic out to 0.0.0.0/0 or ::/0 (or blocks as broad): egress goes to the VPC, prefix lists or other groups.",
        category: "least-privilege",
        severity: "medium",
        remediation:
            "Replace the rule with egress to the VPC endpoints' security group (referencedSecurityGroupId), the S3 gateway endpoint's prefix list, or the VPC CIDR.",
    },
    EGRESS_TYPES,
    (resource, report) => {
        for (const block of openEgressOf(resource.type, resource.props)) report(`Egress to ${block} is open to the internet.`);
    },
);

/** Gateways that give a VPC a route to the internet; a private NAT gateway (connectivityType private) gives none. */
function internetGateways(resources: readonly PolicyResource[]): string[] {
    const gateways = [
        "aws:ec2/internetGateway:InternetGateway",
        "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
        "aws-native:ec2:InternetGateway",
        "aws-native:ec2:EgressOnlyInternetGateway",
    ];
    const nats = ["aws:ec2/natGateway:NatGateway", "aws-native:ec2:NatGateway"];
    return resources
        .filter((r) => gateways.includes(r.type) || (nats.includes(r.type) && !enumIs(rawInputs(r.props).connectivityType, "private")))
        .map((r) => `${r.type.split(":").pop()} ${r.name}`);
}

export const openEgressWithGateway = stackRule(
    {
        name: "vpc-open-egress-with-gateway",
        description:
            "In a stack with an internet, egress-only internet or public NAT gateway, no security group lets traffic out to 0.0.0.0/0 or ::/0: the gateway's route and the group would together give workloads a direct path out.",
        category: "vpc-only",
        severity: "high",
        remediation:
            "Limit the group's egress to the VPC endpoints' group, prefix lists or the VPC CIDR; if the workload truly needs the internet, send it through a proxy or firewall with an allow-list.",
    },
    (resources, report) => {
        const gateways = internetGateways(resources);
        if (gateways.length === 0) return;
        for (const resource of resources.filter((r) => (EGRESS_TYPES as readonly string[]).includes(r.type))) {
            for (const block of openEgressOf(resource.type, resource.props))
                report(`Egress to ${block} from ${resource.name} while the stack has ${gateways.join(", ")}.`, resource.urn);
        }
    },
);

export const egressPolicies = [noOpenEgress, openEgressWithGateway];
