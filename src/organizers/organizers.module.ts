import { Global, Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Environment } from '../config/environment.js';
import { ApiKey } from './api-key.entity.js';
import { ApiKeyStore } from './api-key-store.js';
import { Organizer } from './organizer.entity.js';
import { OptionalOrganizerGuard, OrganizerGuard } from './organizer.guard.js';

export const BOOTSTRAP_ORGANIZER = 'default';

/** With ORGANIZER_API_KEY set, the organiser "default" owns that key once the app is up. */
@Injectable()
class BootstrapOrganizerKey implements OnApplicationBootstrap {
  constructor(
    private readonly keys: ApiKeyStore,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const key = this.config.get('ORGANIZER_API_KEY', { infer: true });
    if (key !== undefined) await this.keys.ensureKey(BOOTSTRAP_ORGANIZER, key);
  }
}

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Organizer, ApiKey])],
  providers: [
    { provide: ApiKeyStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new ApiKeyStore(dataSource) },
    OrganizerGuard,
    OptionalOrganizerGuard,
    BootstrapOrganizerKey,
  ],
  exports: [ApiKeyStore, OrganizerGuard, OptionalOrganizerGuard],
})
export class OrganizersModule {}
