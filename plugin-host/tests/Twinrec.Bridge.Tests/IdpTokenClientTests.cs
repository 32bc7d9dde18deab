using Twinrec.Bridge;
using Twinrec.Bridge.Idp;
using Xunit;

namespace Twinrec.Bridge.Tests;

public class IdpTokenClientTests
{
    [Fact]
    public void A_token_answer_gives_the_access_token_and_its_lifetime()
    {
        var token = IdpTokenClient.Parse(200, """{"access_token":"eyJ.abc","expires_in":3600,"token_type":"Bearer"}""");
        Assert.Equal("eyJ.abc", token.AccessToken);
        Assert.Equal(3600, token.ExpiresInSeconds);
    }

    [Fact]
    public void A_refused_grant_names_the_oauth_error_code_only()
    {
        var err = Assert.Throws<VmsCallException>(() => IdpTokenClient.Parse(400, """{"error":"invalid_grant","error_description":"bad password for secret-user"}"""));
        Assert.Equal("invalid_grant", err.Reason);
        Assert.DoesNotContain("secret-user", err.Message);
    }

    [Fact]
    public void An_error_code_that_is_not_a_short_word_is_not_echoed()
    {
        var err = Assert.Throws<VmsCallException>(() => IdpTokenClient.Parse(401, """{"error":"<script>alert(1)</script>"}"""));
        Assert.Equal("HTTP 401", err.Reason);
    }

    [Fact]
    public void A_200_without_a_token_is_a_failure()
    {
        var err = Assert.Throws<VmsCallException>(() => IdpTokenClient.Parse(200, "<html>login</html>"));
        Assert.Equal("no access_token in the answer", err.Reason);
    }
}
