package io.skychat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class SkychatApplication {

    public static void main(String[] args) {
        SpringApplication.run(SkychatApplication.class, args);
    }
}
