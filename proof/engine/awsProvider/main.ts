/**
 * `pulumi-resource-aws` for the real Pulumi CLI without AWS: the engine starts the plugin with its
 * own address as the argument and reads the port from the first line the plugin prints
 * (newPlugin, sdk/go/common/resource/plugin/plugin.go); the launcher proof/engine/plugins/
 * pulumi-resource-aws runs this file, and the CLI finds it on PATH as an ambient plugin
 * (GetPluginPath, sdk/go/common/workspace/plugins.go). This plugin never calls the engine back.
 */
import { serve } from "./server";

serve().then(
    // The port alone, as a string, so that nothing colours it.
    (port) => console.log(String(port)),
    (err) => {
        console.error(`pulumi-resource-aws: ${err.message}`);
        process.exit(1);
    },
);
