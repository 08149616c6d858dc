using Spooled.Testing;

namespace Spooled.Log.Tests.Storage;

/// <summary>The storage contract against <see cref="SimulatedStorage"/>.</summary>
public sealed class SimulatedStorageContractTests() : StorageContractTests(new SimulatedStorage());
