package io.spineflow.cli;

import com.sun.net.httpserver.HttpHandler;
import io.spineflow.platform.Service;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.Setting;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How the launcher runs one service: its name and default port, its rows of the configuration
 * table, how to build it from a context, which topics it owns, and its HTTP routes. The launcher is
 * the only module that knows every service; the services never know each other.
 */
record ServiceModule(
    String name,
    int defaultPort,
    List<Setting> settings,
    Function<ServiceContext, Service> factory,
    Function<Topics, List<Topic<String, ?>>> ownedTopics,
    Function<Service, Map<String, HttpHandler>> routes) {}
