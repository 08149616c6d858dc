using Spooled.Broker.Engine;

namespace Spooled.Broker.Tests.Engine;

public sealed class RandomIdsTests
{
    [Fact]
    public void Ids_are_version_4_rfc_variant_and_distinct_across_pool_refills()
    {
        var ids = new RandomIds();
        var seen = new HashSet<Guid>();
        for (var i = 0; i < 1000; i++)
        {
            var id = ids.Next();
            Assert.Equal(4, id.Version);
            Assert.Equal('8', char.ToLowerInvariant(id.ToString()[19]) is '8' or '9' or 'a' or 'b' ? '8' : 'x');
            Assert.True(seen.Add(id));
        }
    }
}
