using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

internal static class NetworkEmitter
{
    public static string Emit(NetworkPlan plan) => "// TODO";
}
