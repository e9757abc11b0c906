/**
 * Whether a CIDR block stands for "the internet", whatever its spelling: 0.0.0.0/0 and ::/0 as
 * written, `0:0:0:0:0:0:0:0/0`, or split into broad blocks (0.0.0.0/1 and 128.0.0.0/1 are
 * 0.0.0.0/0 in two rules). IPv4: any block broader than a /8 (no private range is broader than
 * 10.0.0.0/8, RFC 1918). IPv6: a block shorter than /16 that reaches global unicast 2000::/3
 * (RFC 4291 section 2.4); unique local fc00::/7 (RFC 4193) does not.
 */

/** The first 16 bits of global unicast (2000::/3) and its last. */
const GLOBAL_UNICAST = [0x2000, 0x3fff] as const;

export function isInternetWide(cidr: unknown): boolean {
    if (typeof cidr !== "string") return false;
    const [address, bits] = cidr.trim().split("/");
    const prefix = Number(bits);
    if (!address || bits === undefined || !Number.isInteger(prefix) || prefix < 0) return false;
    if (!address.includes(":")) return /^\d{1,3}(\.\d{1,3}){3}$/.test(address) && prefix < 8;
    if (prefix >= 16) return false;
    const first = parseInt(address.split(":")[0] || "0", 16);
    if (!Number.isFinite(first)) return false;
    const size = 2 ** (16 - prefix);
    const start = first - (first % size);
    return start <= GLOBAL_UNICAST[1] && start + size - 1 >= GLOBAL_UNICAST[0];
}
