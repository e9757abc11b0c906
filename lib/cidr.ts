/** IPv4 subnetting for the VPC's private subnets. */
import { parseIpv4Cidr } from "./config/rules";

/** Subnets get at most this many extra prefix bits (a /16 VPC gives /20 subnets). */
const PREFERRED_NEW_BITS = 4;

function format(address: number, bits: number): string {
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
    return `${octets.join(".")}/${bits}`;
}

/**
 * Splits a VPC block into `count` equal, non-overlapping subnet blocks, as large as leaves room
 * to add subnets later: four extra bits where the block allows, never smaller than /28.
 */
export function subnetCidrs(vpcCidr: string, count: number): string[] {
    const parsed = parseIpv4Cidr(vpcCidr);
    if (typeof parsed === "string") throw new Error(parsed);
    const needed = Math.ceil(Math.log2(Math.max(count, 1)));
    const newBits = Math.max(needed, Math.min(PREFERRED_NEW_BITS, 28 - parsed.bits));
    const bits = parsed.bits + newBits;
    if (bits > 28) {
        throw new Error(`${vpcCidr} cannot hold ${count} subnets of at least /28`);
    }
    return Array.from({ length: count }, (_, i) => format(parsed.base + i * 2 ** (32 - bits), bits));
}
