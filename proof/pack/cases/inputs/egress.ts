/**
 * Security-group egress to the internet: inline and separate rules, IPv4 and IPv6, JSON text,
 * upper-case types, the long IPv6 form, 0.0.0.0/0 split in halves, a CloudFormation group that
 * keeps AWS's allow-all rule; mandatory where the stack also has a way out. Look-alikes: a
 * @pulumi/aws group without egress (the provider removes the default rule), egress to the VPC,
 * endpoints, prefix lists and private IPv6, and a private NAT gateway.
 */
import { PackCase } from "../types";
import { WORKLOAD_SG, acceptable, inDev, insecure } from "./build";

const OPEN = "vpc-no-open-egress";
const WITH_GATEWAY = "vpc-open-egress-with-gateway";
const bad = (rule: string, id: string, why: string, resources: PackCase["resources"], config?: PackCase["config"]) =>
    insecure("open-egress", rule, id, why, resources, config);
const fine = (id: string, why: string, resources: PackCase["resources"], config?: PackCase["config"]) =>
    acceptable("open-egress", id, why, resources, config);

const VPC_ID = "vpc-b7e02b39aa3b1c7a4";
const group = (props: Record<string, unknown>) =>
    inDev("aws:ec2/securityGroup:SecurityGroup", "workload", { vpcId: VPC_ID, description: "Model workloads", ...props });
const egressRule = (name: string, props: Record<string, unknown>) =>
    inDev("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", name, { securityGroupId: WORKLOAD_SG, ipProtocol: "-1", ...props });
const groupRule = (name: string, props: Record<string, unknown>) =>
    inDev("aws:ec2/securityGroupRule:SecurityGroupRule", name, {
        securityGroupId: WORKLOAD_SG,
        protocol: "-1",
        fromPort: 0,
        toPort: 0,
        ...props,
    });
const nativeGroup = (props: Record<string, unknown>) =>
    inDev("aws-native:ec2:SecurityGroup", "native", { groupDescription: "Model workloads", vpcId: VPC_ID, ...props });
const gateway = (type: string, name: string, props: Record<string, unknown> = {}) => inDev(type, name, { vpcId: VPC_ID, ...props });
/** The stack's gateways are allowed by configuration: the egress rule alone must stop the path. */
const GATEWAYS_ALLOWED = { "vpc-no-internet-gateway": { allowInternetGateway: true }, "vpc-no-nat-gateway": { allowNatGateway: true } };

export const egressCases: readonly PackCase[] = [
    bad(OPEN, "open-egress-inline-all", "A group's inline egress lets everything out to 0.0.0.0/0.", [
        group({ egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }),
    ]),
    bad(OPEN, "open-egress-inline-json-list", "The inline rule's CIDR list arrives as JSON text.", [
        group({ egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: '["0.0.0.0/0"]' }] }),
    ]),
    bad(OPEN, "open-egress-rule-upper-case-type", 'A SecurityGroupRule of type "EGRESS" to 0.0.0.0/0.', [
        groupRule("out", { type: "EGRESS", cidrBlocks: ["0.0.0.0/0"] }),
    ]),
    bad(OPEN, "open-egress-ipv6", "An egress rule to ::/0.", [egressRule("out6", { cidrIpv6: "::/0" })]),
    bad(OPEN, "open-egress-ipv6-long-form", "::/0 written out in full.", [egressRule("out6", { cidrIpv6: "0:0:0:0:0:0:0:0/0" })]),
    bad(OPEN, "open-egress-split-halves", "0.0.0.0/1 and 128.0.0.0/1: the whole IPv4 internet in two rules.", [
        egressRule("low-half", { cidrIpv4: "0.0.0.0/1" }),
        egressRule("high-half", { cidrIpv4: "128.0.0.0/1" }),
    ]),
    bad(
        OPEN,
        "open-egress-native-default-rule",
        "An aws-native group without egress keeps AWS's allow-all rule (CloudFormation removes it only when one is given).",
        [nativeGroup({})],
    ),
    bad(OPEN, "open-egress-native-egress-resource", "An aws-native SecurityGroupEgress to 0.0.0.0/0.", [
        inDev("aws-native:ec2:SecurityGroupEgress", "native-out", { groupId: WORKLOAD_SG, ipProtocol: "-1", cidrIp: "0.0.0.0/0" }),
    ]),
    bad(
        WITH_GATEWAY,
        "open-egress-with-internet-gateway",
        "Open egress in a stack with an internet gateway (allowed by configuration): the route and the group give a direct path out.",
        [
            gateway("aws:ec2/internetGateway:InternetGateway", "igw"),
            group({ egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }),
        ],
        GATEWAYS_ALLOWED,
    ),
    bad(
        WITH_GATEWAY,
        "open-egress-with-nat-gateway",
        "Open egress in a stack with a NAT gateway (public by default).",
        [
            gateway("aws:ec2/natGateway:NatGateway", "nat", { subnetId: "subnet-61a7099c177437112", allocationId: "eipalloc-0abc" }),
            egressRule("out", { cidrIpv4: "0.0.0.0/0" }),
        ],
        GATEWAYS_ALLOWED,
    ),
    bad(
        WITH_GATEWAY,
        "open-egress-ipv6-with-egress-only-gateway",
        "IPv6 egress to ::/0 in a stack with an egress-only internet gateway.",
        [gateway("aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway", "eigw"), egressRule("out6", { cidrIpv6: "::/0" })],
        GATEWAYS_ALLOWED,
    ),

    fine(
        "open-egress-group-without-egress",
        "A @pulumi/aws group without egress: the provider removes AWS's allow-all rule, so nothing leaves.",
        [group({})],
    ),
    fine(
        "open-egress-to-vpc-endpoints-prefix-lists",
        "Egress to the endpoints' group, the S3 prefix list, the VPC CIDR and a private /8.",
        [
            group({ egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"] }] }),
            egressRule("to-endpoints", {
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                referencedSecurityGroupId: "sg-f095eca570e7bcfa0",
            }),
            egressRule("to-s3", { ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-63a5400a" }),
            groupRule("to-vpc", { type: "egress", cidrBlocks: ["10.0.0.0/16"] }),
        ],
    ),
    fine("open-egress-private-ipv6", "Egress to unique local fc00::/7: broad, but private (RFC 4193).", [
        egressRule("ula", { cidrIpv6: "fc00::/7" }),
    ]),
    fine(
        "open-egress-native-explicit-rule",
        "An aws-native group with one explicit egress rule to a prefix list: AWS's default rule is removed.",
        [nativeGroup({ securityGroupEgress: [{ ipProtocol: "tcp", fromPort: 443, toPort: 443, destinationPrefixListId: "pl-63a5400a" }] })],
    ),
    fine(
        "open-egress-private-nat-gateway",
        "A private NAT gateway (allowed by configuration) gives no way out; egress goes to the VPC only.",
        [
            gateway("aws:ec2/natGateway:NatGateway", "nat", { subnetId: "subnet-61a7099c177437112", connectivityType: "private" }),
            egressRule("to-vpc", { cidrIpv4: "10.0.0.0/16" }),
        ],
        GATEWAYS_ALLOWED,
    ),
    fine("open-egress-ingress-rule-from-vpc", "A SecurityGroupRule of type ingress from the VPC CIDR is no egress.", [
        groupRule("in", { type: "ingress", cidrBlocks: ["10.0.0.0/16"] }),
    ]),
];
