// Starts DynamoDB Local bound to one interface (127.0.0.1 unless -Dtanggap.bindHost says otherwise).
//
// DynamoDBLocal.jar has no -host option: its DynamoDBProxyServer builds a Jetty `new Server(port)`, which
// listens on every interface, so a laptop on café Wi-Fi would expose the local database. This launcher takes
// the same command-line arguments, sets the host on Jetty's connector before starting, and fails loudly if the
// jar's internals ever change instead of silently listening on 0.0.0.0.
//
// Compiled by infra/local/services.sh against DynamoDBLocal.jar and DynamoDBLocal_lib/*.

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

public final class DynamoDBLocalLoopback {
    public static void main(String[] args) throws Exception {
        String host = System.getProperty("tanggap.bindHost", "127.0.0.1");
        DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);

        Field serverField = DynamoDBProxyServer.class.getDeclaredField("server");
        serverField.setAccessible(true);
        Server server = (Server) serverField.get(proxy);
        Connector[] connectors = server.getConnectors();
        if (connectors.length == 0) {
            throw new IllegalStateException("DynamoDB Local has no Jetty connector to bind");
        }
        for (Connector c : connectors) {
            if (!(c instanceof ServerConnector)) {
                throw new IllegalStateException("unexpected Jetty connector " + c.getClass());
            }
            ((ServerConnector) c).setHost(host);
        }
        proxy.start();
        System.out.println("DynamoDB Local listening on " + host + ":" + ((ServerConnector) connectors[0]).getLocalPort());
    }
}
