package io.segmentpress.common;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The stored contract, openapi/openapi.yaml, must be exactly what the service describes at
 * /q/openapi. After an intended API change, regenerate it with
 * {@code mvn test -Dtest=OpenApiContractTest -Dopenapi.update=true} and commit the file.
 */
@QuarkusTest
class OpenApiContractTest {

    private static final Path STORED = Path.of("openapi/openapi.yaml");

    @Test
    void storedDocumentMatchesTheRunningService() throws Exception {
        String served = given().queryParam("format", "yaml").get("/q/openapi").then().statusCode(200).extract().asString();
        if (Boolean.getBoolean("openapi.update")) {
            Files.createDirectories(STORED.getParent());
            Files.writeString(STORED, served, StandardCharsets.UTF_8);
        }
        String stored = Files.exists(STORED) ? Files.readString(STORED, StandardCharsets.UTF_8) : "";
        assertEquals(stored, served, "openapi/openapi.yaml is out of date: regenerate it with "
                + "mvn test -Dtest=OpenApiContractTest -Dopenapi.update=true");
    }
}
