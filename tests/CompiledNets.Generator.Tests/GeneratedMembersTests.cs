using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Parsing;
using CompiledNets.Generator.Planning;
using CompiledNets.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace CompiledNets.Generator.Tests;

/// <summary>
/// <see cref="GeneratedMembers"/> is what CN0023 and CN0024 know of the generated class, and it must stay what
/// the emitters write: every member of the generated class of these networks is on its lists (or begins with a
/// layer's name), the stubs declare only its public names, and no name on the lists is one the code lost.
/// When an emitter adds, renames or removes a member, these tests say which list to update.
/// </summary>
public sealed class GeneratedMembersTests
{
    private const string Broken = """
        using CompiledNets;

        namespace Samples;

        [CompiledNetwork]
        [Input(28, 28, 1)]
        [Dense(10, Activation = Activation.Softmax)]
        public partial class BrokenNet { }
        """;

    public static TheoryData<string, string> ValidNetworks() => new()
    {
        { NetworkSources.Mnist, "MnistNet" },
        { NetworkSources.DenseOnly, "DenseNet" },
        { NetworkSources.InferenceOnly, "InferenceNet" },
        { NetworkSources.LeNet5, "LeNet5" },
        { NetworkSources.TutorialConvNet, "TutorialConvNet" },
    };

    [Theory]
    [MemberData(nameof(ValidNetworks))]
    public void EveryMemberOfAValidNetworkIsOnTheLists(string source, string name)
    {
        var (type, layers) = Generate(source, name);
        var unknown = new List<string>();
        foreach (ISymbol member in GeneratedMembersOf(type))
        {
            if (Problem(member, name, layers, stub: false) is { } problem) unknown.Add(problem);
        }
        Assert.True(unknown.Count == 0, "Update GeneratedMembers (Model/GeneratedMembers.cs):\n" + string.Join("\n", unknown));
    }

    [Fact]
    public void TheStubsDeclareOnlyPublicNames()
    {
        var (type, _) = Generate(Broken, "BrokenNet");
        Assert.Contains(GeneratedMembersOf(type), m => m.Name == "Predict"); // the stubs are there to be checked

        var unknown = GeneratedMembersOf(type).Select(m => Problem(m, "BrokenNet", Array.Empty<string>(), stub: true)).OfType<string>().ToList();
        Assert.True(unknown.Count == 0, "Update GeneratedMembers.Public (a clash with a name the stubs declare must block emission):\n" + string.Join("\n", unknown));
    }

    /// <summary>A stale name would make CN0023 report a member that clashes with nothing.</summary>
    [Fact]
    public void EveryNameOnTheListsIsGenerated()
    {
        var generated = new HashSet<string>(StringComparer.Ordinal);
        var explicitly = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in ValidNetworks())
        {
            var (type, _) = Generate((string)row[0], (string)row[1]);
            foreach (ISymbol member in GeneratedMembersOf(type))
            {
                generated.Add(member.Name);
                if (Implemented(member) is { } implemented) explicitly.Add(implemented.ContainingType.Name + "." + implemented.Name);
            }
        }

        string[] stale = GeneratedMembers.Public.Concat(GeneratedMembers.Private)
            .Concat(GeneratedMembers.ExplicitImplementations.SelectMany(i => i.Value.Select(m => i.Key + "." + m)))
            .Where(n => !generated.Contains(n) && !explicitly.Contains(n))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();
        Assert.True(stale.Length == 0, "GeneratedMembers lists names no generated network has: " + string.Join(", ", stale));
    }

    /// <summary>What is wrong with the lists about <paramref name="member"/> of the generated class, or null.</summary>
    private static string? Problem(ISymbol member, string className, IReadOnlyList<string> layers, bool stub)
    {
        if (member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor)
        {
            string parameters = string.Join(", ", constructor.Parameters.Select(p => p.Type.ToDisplayString()));
            return parameters is "" or "int" ? null : $"constructor {className}({parameters}): NameClashReader knows only () and (int)";
        }
        if (member is IMethodSymbol { MethodKind: not (MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation) }) return null; // accessors
        if (Implemented(member) is { } implemented)
        {
            string @interface = implemented.ContainingType.Name;
            bool known = GeneratedMembers.ExplicitImplementations.TryGetValue(@interface, out var names) && names.Contains(implemented.Name);
            if (!known) return $"{@interface}.{implemented.Name}: not in ExplicitImplementations";
            return stub && @interface != GeneratedMembers.StubInterface ? $"{@interface}.{implemented.Name} in the stubs: StubInterface is {GeneratedMembers.StubInterface}" : null;
        }
        string name = member.Name;
        bool isMethod = member is IMethodSymbol;
        if (stub) return GeneratedMembers.Public.Contains(name) ? null : $"{name} in the stubs: not in Public";
        if (GeneratedMembers.ContractMethods.TryGetValue(name, out var expected))
        {
            if (member is not IMethodSymbol method) return $"{name}: in ContractMethods, but not a method";
            string[] actual = method.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).ToArray();
            return expected.Any(overload => actual.SequenceEqual(overload)) ? null
                : $"{name}({string.Join(", ", actual)}): ContractMethods says {string.Join(" or ", expected.Select(overload => "(" + string.Join(", ", overload) + ")"))}";
        }
        if (GeneratedMembers.Public.Contains(name))
            return member.DeclaredAccessibility == Accessibility.Public && !isMethod ? null : $"{name}: in Public, but not a public property, field or constant";
        if (GeneratedMembers.Private.Contains(name))
        {
            if (member.DeclaredAccessibility == Accessibility.Public) return $"{name}: public, but in Private";
            return isMethod == GeneratedMembers.PrivateMethods.Contains(name) ? null : $"{name}: {(isMethod ? "a method, but not in PrivateMethods" : "not a method, but in PrivateMethods")}";
        }
        if (member.DeclaredAccessibility == Accessibility.Public) return $"{name}: a public member that is in neither Public nor ContractMethods";
        return layers.Any(layer => GeneratedMembers.IsLayerMember(name, layer)) && GeneratedMembers.LooksLikeLayerMember(name)
            ? null
            : $"{name}: in no list, and it does not begin with a layer's name ({string.Join(", ", layers)})";
    }

    private static ISymbol? Implemented(ISymbol member) => member switch
    {
        IMethodSymbol method => method.ExplicitInterfaceImplementations.FirstOrDefault(),
        IPropertySymbol property => property.ExplicitInterfaceImplementations.FirstOrDefault(),
        IEventSymbol @event => @event.ExplicitInterfaceImplementations.FirstOrDefault(),
        _ => null,
    };

    /// <summary>The network class of the compiled output and its layers' names ("Conv0", ...), after checking that it is the full network or the stubs as expected.</summary>
    private static (INamedTypeSymbol Type, string[] Layers) Generate(string source, string name)
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        DiagnosticAssert.None(run.CompilerDiagnostics, "compiler diagnostics");
        Assert.Single(run.GeneratedFiles);
        INamedTypeSymbol type = run.OutputCompilation.GetTypeByMetadataName("Samples." + name)!;
        var declaration = (TypeDeclarationSyntax)type.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).First(s => s.SyntaxTree.FilePath == "Source0.cs");
        NetworkPlan plan = NetworkPlanner.Plan(NetworkParser.Parse(type, declaration, CancellationToken.None));
        return (type, plan.Layers.Select(l => l.Name).ToArray());
    }

    /// <summary>The members the generated file declares (not those of the user's declaration, nor the compiler's).</summary>
    private static List<ISymbol> GeneratedMembersOf(INamedTypeSymbol type) =>
        type.GetMembers()
            .Where(m => !m.IsImplicitlyDeclared && m.DeclaringSyntaxReferences.Any(r => r.SyntaxTree.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)))
            .ToList();
}
